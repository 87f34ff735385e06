import pg from 'pg';
import { silentLogger, type Logger } from '../../logger.ts';
import type { Storage } from '../storage.ts';
import { WriteBatcher } from '../write-batcher.ts';
import { openPostgresRepositories } from './apply-change.ts';
import { PostgresCommitter, type BeforeCommit } from './committer.ts';
import { migratePostgres, pgTypes } from './database.ts';

/** How a PostgreSQL storage is opened. */
export interface PostgresStorageOptions {
  /** postgres://user@host:port/database */
  connectionString: string;
  /** Connections of the read pool. Default 4: reads are short (a room loads once, then lives in memory). */
  readConnections?: number;
  logger?: Logger;
  /** A check run in every commit's transaction before its changes (see BeforeCommit). */
  beforeCommit?: BeforeCommit;
}

/**
 * The storage port over PostgreSQL: the database is migrated first (once, however many nodes start
 * together), reads go through a small pool, and commits go through the write batcher to one dedicated
 * connection, one transaction per batch.
 */
export async function openPostgresStorage(options: PostgresStorageOptions): Promise<Storage> {
  const logger = options.logger ?? silentLogger();
  const migrator = new pg.Client({ connectionString: options.connectionString, types: pgTypes, application_name: 'kotae-migrate' });
  await migrator.connect();
  try {
    await migratePostgres(migrator);
  } finally {
    await migrator.end();
  }
  const pool = new pg.Pool({ connectionString: options.connectionString, types: pgTypes, max: options.readConnections ?? 4, application_name: 'kotae-read' });
  pool.on('error', (error) => logger.error({ err: error }, 'an idle PostgreSQL read connection failed'));
  const repositories = openPostgresRepositories(pool);
  const committer = new PostgresCommitter({ connectionString: options.connectionString, repositories, logger, beforeCommit: options.beforeCommit });
  const batcher = new WriteBatcher(committer);
  let closed: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    await batcher.drain();
    await committer.close();
    await pool.end();
  };
  return {
    ...repositories,
    commit: (changes, sessionId) => batcher.commit(changes, sessionId),
    close: () => (closed ??= close()),
  };
}
