import { commitChanges, openRepositories } from './apply-change.ts';
import { openDatabase } from './database.ts';
import type { Storage } from './storage.ts';
import { WriteBatcher, type BatchCommitter } from './write-batcher.ts';

/** The storage port over one SQLite database in dataDir (kotae.sqlite), with group commit on this thread. */
export function openSqliteStorage(dataDir: string): Storage {
  const db = openDatabase(dataDir);
  const repositories = openRepositories(db);
  const committer: BatchCommitter = {
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
    commit: (changes, sessionId) => batcher.commit(changes, sessionId),
    close: () => (closed ??= close()),
  };
}
