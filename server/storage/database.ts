import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrations } from './migrations.ts';

export type Db = Database.Database;

/** Opens (creating if needed) the database in dataDir, in WAL mode, migrated to the latest version. */
export function openDatabase(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = connectDatabase(dataDir);
  migrate(db);
  return db;
}

/** A further connection to the database openDatabase made: the same settings, no migrations. */
export function connectDatabase(dataDir: string): Db {
  const db = new Database(path.join(dataDir, 'kotae.sqlite'));
  db.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before a vote is acknowledged; batching keeps the cost per vote small.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // 16 MB of page cache keeps the token hashes of 10,000 participants in memory for reconnect storms.
  db.pragma('cache_size = -16000');
  return db;
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}
