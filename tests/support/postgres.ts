/**
 * PostgreSQL for the tests. PG_TEST_URL names a database on a server where the test user may create
 * databases (default postgres://root@127.0.0.1:5432/postgres); each suite creates its own fresh
 * database `kotae_t_<random>` there and drops it afterwards, so suites and other users of the server
 * never see each other's rows. There is no skip: when the server cannot be reached, the suites fail.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
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

async function withAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_TEST_URL });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is needed for these tests and is not reachable at PG_TEST_URL=${PG_TEST_URL}: ${String(error)}`);
  }
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Creates a fresh, empty database named <prefix>_<random>. */
export async function createPostgresTestDatabase(prefix = 'kotae_t'): Promise<PostgresTestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(PG_TEST_URL);
  url.pathname = `/${name}`;
  const pools: pg.Pool[] = [];
  return {
    name,
    url: url.toString(),
    async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
      const client = new pg.Client({ connectionString: url.toString(), types: pgTypes });
      await client.connect();
      try {
        return (await client.query(sql, params)).rows as T[];
      } finally {
        await client.end();
      }
    },
    openPool(config = {}) {
      const pool = new pg.Pool({ connectionString: url.toString(), max: 4, ...config });
      // A connection cut on purpose by a test must not crash the run.
      pool.on('error', () => {});
      pools.push(pool);
      return pool;
    },
    async drop() {
      await Promise.all(pools.map((pool) => pool.end().catch(() => {})));
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
