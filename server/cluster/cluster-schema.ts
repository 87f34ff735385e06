/**
 * The PostgreSQL tables of cluster ownership, as versioned migrations applied at start-up. Nodes
 * starting together apply them once: each start takes a transaction-level advisory lock first, so
 * the others wait and then find the versions already recorded in cluster_schema_versions.
 */
import type { Pool } from 'pg';

/** One schema change, applied once, in version order. */
export interface ClusterMigration {
  version: number;
  sql: string;
}

/** The cluster's schema changes, oldest first. */
export const clusterMigrations: readonly ClusterMigration[] = [
  {
    // A node's row lives for one incarnation (one process start). At most one incarnation per
    // node id is not retired: a restarted node retires the previous one, which frees its leases.
    // A lease row is never deleted, so its epoch only ever grows: a released lease keeps its epoch
    // with no owner, and the next claim continues from it.
    version: 1,
    sql: `
      CREATE TABLE nodes (
        incarnation bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        node_id text NOT NULL,
        url text NOT NULL,
        load integer NOT NULL DEFAULT 0 CHECK (load >= 0),
        status text NOT NULL DEFAULT 'live' CHECK (status IN ('live', 'draining', 'retired')),
        started_at timestamptz NOT NULL DEFAULT now(),
        heartbeat_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX nodes_one_current_incarnation ON nodes (node_id) WHERE status <> 'retired';
      CREATE TABLE session_leases (
        session_id text PRIMARY KEY,
        node_id text,
        incarnation bigint REFERENCES nodes (incarnation),
        epoch bigint NOT NULL CHECK (epoch > 0),
        claimed_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((node_id IS NULL) = (incarnation IS NULL))
      );
      CREATE INDEX session_leases_by_incarnation ON session_leases (incarnation);
    `,
  },
];

/** Applies the migrations this database lacks; answers the versions applied by this call. */
export async function applyClusterSchema(pool: Pool): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('kotae:cluster-schema'))`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS cluster_schema_versions (
        version integer PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM cluster_schema_versions');
    const present = new Set(rows.map((row) => row.version));
    const applied: number[] = [];
    for (const migration of clusterMigrations) {
      if (present.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO cluster_schema_versions (version) VALUES ($1)', [migration.version]);
      applied.push(migration.version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
