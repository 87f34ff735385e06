/**
 * A fresh PostgreSQL database per test, on the server named by PG_TEST_URL (default
 * postgres://root@127.0.0.1:5432/postgres). A missing server fails the test: it never skips.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server the PostgreSQL tests run against. */
export const PG_TEST_URL = process.env.PG_TEST_URL ?? 'postgres://root@127.0.0.1:5432/postgres';

/** A database created for one test, dropped by `drop()` with every pool opened on it. */
export interface TestDatabase {
  name: string;
  url: string;
  /** A pool on the database, ended by `drop()`. */
  openPool(config?: pg.PoolConfig): pg.Pool;
  drop(): Promise<void>;
}

function urlOf(name: string): string {
  const url = new URL(PG_TEST_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onServer<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_TEST_URL });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is required for this test and is not reachable at ${PG_TEST_URL} (set PG_TEST_URL): ${String(error)}`);
  }
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database named `<prefix>_<random>`. */
export async function createTestDatabase(prefix = 'kotae_cluster'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await onServer((client) => client.query(`CREATE DATABASE ${name}`));
  const pools: pg.Pool[] = [];
  return {
    name,
    url: urlOf(name),
    openPool(config = {}) {
      const pool = new pg.Pool({ connectionString: urlOf(name), max: 4, ...config });
      // A connection cut on purpose by a test must not crash the run.
      pool.on('error', () => {});
      pools.push(pool);
      return pool;
    },
    async drop() {
      await Promise.all(pools.map((pool) => pool.end().catch(() => {})));
      await onServer((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
