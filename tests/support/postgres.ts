/**
 * PostgreSQL for the tests. PG_TEST_URL names a database on a server where the test user may create
 * databases (default postgres://root@127.0.0.1:5432/postgres); each suite creates its own fresh
 * database `kotae_t_<random>` there and drops it afterwards, so suites and other users of the server
 * never see each other's rows. There is no skip: when the server cannot be reached, the suites fail.
 */
import pg from 'pg';
import { createThrowawayDatabase } from '../../scripts/bench/throwaway-database.ts';
import { pgTypes } from '../../server/storage/postgres/database.ts';

export const PG_TEST_URL = process.env.PG_TEST_URL ?? 'postgres://root@127.0.0.1:5432/postgres';

/** A database of its own for a test, on the PG_TEST_URL server. */
export interface PostgresTestDatabase {
  name: string;
  url: string;
  /** Rows of a query over a connection of the test's own. */
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** A pool on the database, ended by `drop()`. */
  openPool(config?: pg.PoolConfig): pg.Pool;
  /** Ends the pools opened on it, then drops it. */
  drop(): Promise<void>;
}

/** Creates a fresh, empty database named <prefix>_<random>. */
export async function createPostgresTestDatabase(prefix = 'kotae_t'): Promise<PostgresTestDatabase> {
  const { name, url, drop } = await createThrowawayDatabase(PG_TEST_URL, prefix, 'these tests (PG_TEST_URL)');
  const pools: pg.Pool[] = [];
  return {
    name,
    url,
    async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
      const client = new pg.Client({ connectionString: url, types: pgTypes });
      await client.connect();
      try {
        return (await client.query(sql, params)).rows as T[];
      } finally {
        await client.end();
      }
    },
    openPool(config = {}) {
      const pool = new pg.Pool({ connectionString: url, max: 4, ...config });
      // A connection cut on purpose by a test must not crash the run.
      pool.on('error', () => {});
      pools.push(pool);
      return pool;
    },
    async drop() {
      await Promise.all(pools.map((pool) => pool.end().catch(() => {})));
      await drop();
    },
  };
}
