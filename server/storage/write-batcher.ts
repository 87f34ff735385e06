import type { Db } from './database.ts';

interface PendingWrite {
  write: () => void;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Runs writes in order and commits those queued in the same turn of the event loop as one
 * transaction, so a burst of votes costs one disk sync instead of one each. The promise of a write
 * settles only after its transaction has committed: that is when a vote may be acknowledged.
 */
export class WriteBatcher {
  private pending: PendingWrite[] = [];
  private isScheduled = false;

  constructor(private readonly db: Db) {}

  run(write: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ write, resolve, reject });
      if (!this.isScheduled) {
        this.isScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits whatever is queued now. */
  flush(): void {
    this.isScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    try {
      this.db.transaction(() => {
        for (const item of batch) item.write();
      })();
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    for (const item of batch) item.resolve();
  }
}
