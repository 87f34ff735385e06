import { afterEach, describe, expect, it } from 'vitest';
import { applyClusterSchema, clusterMigrations } from '../../server/cluster/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database.ts';

describe('cluster schema', () => {
  let database: TestDatabase | undefined;

  afterEach(async () => {
    await database?.drop();
  });

  it('is applied once when several nodes start together', async () => {
    database = await createTestDatabase();
    const pools = Array.from({ length: 4 }, () => database!.openPool({ max: 1 }));

    const applied = await Promise.all(pools.map((pool) => applyClusterSchema(pool)));

    expect(applied.flat().sort()).toEqual(clusterMigrations.map((migration) => migration.version));
    const { rows } = await pools[0]!.query('SELECT version FROM cluster_schema_versions ORDER BY version');
    expect(rows).toEqual(clusterMigrations.map((migration) => ({ version: migration.version })));
  });

  it('applies nothing on a database that is up to date', async () => {
    database = await createTestDatabase();
    const pool = database.openPool();
    await applyClusterSchema(pool);

    expect(await applyClusterSchema(pool)).toEqual([]);
  });
});
