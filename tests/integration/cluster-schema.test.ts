import { afterEach, describe, expect, it } from 'vitest';
import { applyClusterSchema, clusterMigrations } from '../../server/cluster/index.ts';
import { createPostgresTestDatabase, type PostgresTestDatabase } from '../support/postgres.ts';

describe('cluster schema', () => {
  let database: PostgresTestDatabase | undefined;

  afterEach(async () => {
    await database?.drop();
  });

  it('is applied once when several nodes start together', async () => {
    database = await createPostgresTestDatabase();
    const pools = Array.from({ length: 4 }, () => database!.openPool({ max: 1 }));

    const applied = await Promise.all(pools.map((pool) => applyClusterSchema(pool)));

    expect(applied.flat().sort()).toEqual(clusterMigrations.map((migration) => migration.version));
    const { rows } = await pools[0]!.query('SELECT version FROM cluster_schema_versions ORDER BY version');
    expect(rows).toEqual(clusterMigrations.map((migration) => ({ version: migration.version })));
  });

  it('applies nothing on a database that is up to date', async () => {
    database = await createPostgresTestDatabase();
    const pool = database.openPool();
    await applyClusterSchema(pool);

    expect(await applyClusterSchema(pool)).toEqual([]);
  });
});
