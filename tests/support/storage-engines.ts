/**
 * The storage engines the contract suite runs against, behind one shape: a fresh database, storages
 * opened on it, and raw SQL over a connection of the test's own (the same SQL runs on both).
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { openPostgresStorage } from '../../server/storage/postgres/postgres-storage.ts';
import type { BeforeCommit } from '../../server/storage/postgres/committer.ts';
import { openSqliteStorage } from '../../server/storage/sqlite-storage.ts';
import type { Storage } from '../../server/storage/storage.ts';
import { createPostgresTestDatabase } from './postgres.ts';
import { makeDataDir } from './test-app.ts';

/** One fresh database of an engine. */
export interface EngineDatabase {
  open(): Promise<Storage>;
  /** Rows of a query without parameters, over a connection of the test's own. */
  query<T>(sql: string): Promise<T[]>;
  /** The environment that points a kotae server at this database. */
  serverEnv: NodeJS.ProcessEnv;
  drop(): Promise<void>;
}

/** A storage engine under test. */
export interface StorageEngine {
  name: 'SQLite' | 'PostgreSQL';
  createDatabase(): Promise<EngineDatabase>;
}

export const sqliteEngine: StorageEngine = {
  name: 'SQLite',
  async createDatabase() {
    const dataDir = makeDataDir();
    return {
      open: async () => openSqliteStorage(dataDir),
      async query<T>(sql: string): Promise<T[]> {
        const db = new Database(path.join(dataDir, 'kotae.sqlite'));
        try {
          return db.prepare(sql).all() as T[];
        } finally {
          db.close();
        }
      },
      serverEnv: { DATA_DIR: dataDir },
      drop: async () => undefined,
    };
  },
};

/** PostgreSQL, with the hook a commit runs in its transaction (for the tests that watch batches). */
export function postgresEngine(beforeCommit?: BeforeCommit): StorageEngine {
  return {
    name: 'PostgreSQL',
    async createDatabase() {
      const database = await createPostgresTestDatabase();
      const dataDir = makeDataDir();
      return {
        open: () => openPostgresStorage({ connectionString: database.url, ...(beforeCommit ? { beforeCommit } : {}) }),
        query: (sql) => database.query(sql),
        serverEnv: { DATA_DIR: dataDir, DATABASE_URL: database.url },
        drop: () => database.drop(),
      };
    },
  };
}

export const storageEngines: readonly StorageEngine[] = [sqliteEngine, postgresEngine()];
