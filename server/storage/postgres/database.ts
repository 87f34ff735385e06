import pg from 'pg';
import { postgresMigrations } from './migrations.ts';

/** A connection or a pool: what a query can be sent through. */
export type Queryable = Pick<pg.ClientBase, 'query'>;

const INT8_OID = 20;

/**
 * BIGINT (times in ms, counts) as numbers rather than the strings pg gives by default: every value
 * stored here is far below 2^53. Set per connection, so no global state of the pg module changes.
 */
export const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format ?? 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/** The key of the advisory lock under which nodes starting together run the migrations one at a time. */
const MIGRATION_LOCK_KEY = 0x6b6f74616500;

/**
 * Brings the database to the latest schema version, in one transaction holding a transaction-level
 * advisory lock: a node that starts at the same time waits, then finds every version applied. The
 * lock goes with the transaction, so a node that dies mid-migration leaves no lock and no half schema.
 */
export async function migratePostgres(client: pg.ClientBase): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations');
    const current = rows[0]?.version ?? 0;
    for (const migration of postgresMigrations) {
      if (migration.version <= current) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [migration.version]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
