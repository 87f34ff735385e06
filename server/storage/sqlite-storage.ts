import { commitChanges, openRepositories } from './apply-change.ts';
import { openDatabase } from './database.ts';
import type { Storage } from './storage.ts';
import { startWorkerCommitter } from './worker-committer.ts';
import { WriteBatcher, type BatchCommitter } from './write-batcher.ts';

/** Where SQLite transactions run: on the event loop's thread, or on a worker thread with its own connection. */
export type SqliteCommits = 'main' | 'worker';

/**
 * The storage port over one SQLite database in dataDir (kotae.sqlite), with group commit. Reads and
 * migrations use the connection of this thread; commits run as `commits` says.
 */
export function openSqliteStorage(dataDir: string, commits: SqliteCommits = 'main'): Storage {
  const db = openDatabase(dataDir);
  const repositories = openRepositories(db);
  const committer: BatchCommitter =
    commits === 'worker'
      ? startWorkerCommitter(dataDir)
      : {
          commitBatch: async (changes) => commitChanges(db, repositories, changes),
          close: async () => {},
        };
  const batcher = new WriteBatcher(committer);
  let closed: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    await batcher.drain();
    await committer.close();
    db.close();
  };
  return {
    ...repositories,
    commit: (changes) => batcher.commit(changes),
    close: () => (closed ??= close()),
  };
}
