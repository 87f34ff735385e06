import type { StorageChange } from './storage-change.ts';

/** Where a batch of changes is committed: in one transaction, durable when the promise resolves. */
export interface BatchCommitter {
  /**
   * Never called again before the previous batch has settled. `sessionIds`: the running sessions the
   * batch's commits were made for (see Storage.commit).
   */
  commitBatch(changes: readonly StorageChange[], sessionIds: ReadonlySet<string>): Promise<void>;
  close(): Promise<void>;
}

/**
 * A batch starts at once when this many commits are queued, without waiting for the end of the turn:
 * in a burst one turn of the event loop reads thousands of votes (libuv takes up to 48 × 1,024 ready
 * sockets per poll phase), and every ack would wait for the last of them. Measured at 10,000 votes at
 * once: ack p50 90 ms instead of 255 ms (medians of 6 runs), uniform load unchanged (docs/benchmarks.md).
 */
export const MAX_BATCH_COMMITS = 256;

interface PendingCommit {
  changes: readonly StorageChange[];
  sessionId: string | undefined;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Commits in order, and those queued in the same turn of the event loop as one batch (at most
 * MAX_BATCH_COMMITS), so a burst of votes costs one disk sync per batch instead of one each. One
 * batch at a time: what is queued while a batch is being committed goes into the next one. The
 * promise of a commit settles only after its batch has: that is when a vote may be acknowledged.
 */
export class WriteBatcher {
  private pending: PendingCommit[] = [];
  private isScheduled = false;
  private inFlight: Promise<void> | null = null;

  constructor(private readonly committer: BatchCommitter) {}

  commit(changes: readonly StorageChange[], sessionId?: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ changes, sessionId, resolve, reject });
      if (this.pending.length >= MAX_BATCH_COMMITS) this.flush();
      else this.schedule();
    });
  }

  /** Resolves once every commit queued before the call has settled. */
  async drain(): Promise<void> {
    while (this.inFlight || this.pending.length > 0) {
      this.flush();
      await this.inFlight;
    }
  }

  private schedule(): void {
    if (this.isScheduled || this.inFlight) return;
    this.isScheduled = true;
    setImmediate(() => {
      this.isScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.inFlight || this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const changes = batch.flatMap((item) => item.changes);
    const sessionIds = new Set(batch.flatMap((item) => (item.sessionId !== undefined && item.changes.length > 0 ? [item.sessionId] : [])));
    const committed = changes.length === 0 ? Promise.resolve() : this.committer.commitBatch(changes, sessionIds);
    this.inFlight = committed.then(
      () => this.finish(batch, (item) => item.resolve()),
      (error: unknown) => this.finish(batch, (item) => item.reject(error)),
    );
  }

  private finish(batch: readonly PendingCommit[], settle: (item: PendingCommit) => void): void {
    this.inFlight = null;
    if (this.pending.length > 0) this.schedule();
    for (const item of batch) settle(item);
  }
}
