import { SqliteAdminLoginRepository } from './admin-login.repository.ts';
import { openDatabase } from './database.ts';
import { SqliteParticipantRepository } from './participant.repository.ts';
import { SqlitePollRepository } from './poll.repository.ts';
import { SqliteQaRepository } from './qa.repository.ts';
import { SqliteSessionRepository } from './session.repository.ts';
import { SqliteTestRepository } from './test.repository.ts';
import type { Storage } from './storage.ts';
import { WriteBatcher } from './write-batcher.ts';

/** The storage port over one SQLite database in dataDir (kotae.sqlite), with group commit. */
export function openSqliteStorage(dataDir: string): Storage {
  const db = openDatabase(dataDir);
  const batcher = new WriteBatcher(db);
  return {
    sessions: new SqliteSessionRepository(db),
    participants: new SqliteParticipantRepository(db),
    polls: new SqlitePollRepository(db),
    tests: new SqliteTestRepository(db),
    adminLogins: new SqliteAdminLoginRepository(db),
    qa: new SqliteQaRepository(db),
    commit: (write) => batcher.run(write),
    close() {
      batcher.flush();
      db.close();
    },
  };
}
