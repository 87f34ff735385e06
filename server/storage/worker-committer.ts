import { Worker } from 'node:worker_threads';
import type { StorageChange } from './storage-change.ts';
import type { BatchCommitter } from './write-batcher.ts';

/** What the commit worker is started with. */
export interface CommitWorkerData {
  dataDir: string;
}

/** A message to the commit worker: a batch to commit in one transaction, or the end. */
export type CommitWorkerRequest = { kind: 'commit'; changes: readonly StorageChange[] } | { kind: 'close' };

/** The commit worker's answer to a batch, once its transaction is durable or rolled back. */
export type CommitWorkerReply = { ok: true } | { ok: false; error: { name: string; message: string; code: string | undefined } };

// Node 20's workers do not inherit `--import tsx`: tsx-worker.mjs registers tsx, then imports the worker module.
const WORKER_ENTRY = new URL('./tsx-worker.mjs', import.meta.url);
const WORKER_MODULE = new URL('./sqlite-commit.worker.ts', import.meta.url);

/**
 * Commits each batch on a worker thread holding its own connection to the database (migrated
 * already), so the event loop goes on taking votes while the disk syncs. A batch's promise resolves
 * once the worker reports its transaction committed.
 */
export function startWorkerCommitter(dataDir: string): BatchCommitter {
  const workerData: CommitWorkerData & { entry: string } = { entry: WORKER_MODULE.href, dataDir };
  const worker = new Worker(WORKER_ENTRY, { workerData });
  // Held only while a batch is in flight, so an idle committer never keeps the process alive.
  worker.unref();
  let inFlight: { resolve: () => void; reject: (error: unknown) => void } | null = null;
  let failure: Error | null = null;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));

  const settle = (settleWith: (batch: NonNullable<typeof inFlight>) => void): void => {
    const batch = inFlight;
    inFlight = null;
    worker.unref();
    if (batch) settleWith(batch);
  };
  const stop = (error: Error): void => {
    failure ??= error;
    settle((batch) => batch.reject(error));
  };
  worker.on('message', (reply: CommitWorkerReply) => {
    settle((batch) => (reply.ok ? batch.resolve() : batch.reject(Object.assign(new Error(reply.error.message), reply.error))));
  });
  worker.on('error', stop);
  worker.on('exit', (exitCode) => stop(new Error(`the SQLite commit worker stopped (exit code ${exitCode})`)));

  return {
    commitBatch(changes) {
      if (failure) return Promise.reject(failure);
      if (inFlight) return Promise.reject(new Error('a batch is already being committed'));
      return new Promise((resolve, reject) => {
        inFlight = { resolve, reject };
        worker.ref();
        worker.postMessage({ kind: 'commit', changes } satisfies CommitWorkerRequest);
      });
    },
    async close() {
      if (!failure) worker.postMessage({ kind: 'close' } satisfies CommitWorkerRequest);
      await exited;
    },
  };
}
