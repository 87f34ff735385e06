/**
 * Nodes of a cluster in one test process, each with its own connections to a fresh database: a
 * coordination pool (optionally through a relay the test can stall, to cut its heartbeat) and a
 * storage pool for fenced commits, as the storage committer will have.
 */
import type pg from 'pg';
import { applyClusterSchema, NodeMembership, SessionLeases, type ClusterTiming } from '../../server/cluster/index.ts';
import { createPostgresTestDatabase, type PostgresTestDatabase } from './postgres.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

/**
 * Production's 1 s / 3 s / 5 s scaled down, with room for a loaded machine: heartbeat every
 * 100 ms, unhealthy after 800 ms, dead after 1.4 s.
 */
export const FAST_TIMING: ClusterTiming = { heartbeatIntervalMs: 100, unhealthyAfterMs: 800, deadAfterMs: 1_400 };

export interface TestNodeOptions {
  /** The load the node reports (default 0). */
  load?: number;
  /** Route the coordination pool through a relay the test can stall (default false). */
  isPartitionable?: boolean;
  /** The node's monotonic clock; a frozen one plays a paused process that has not noticed yet. */
  monotonicNow?: () => number;
}

export interface TestNode {
  nodeId: string;
  membership: NodeMembership;
  leases: SessionLeases;
  /** The storage committer's connections: never through the relay. */
  storagePool: pg.Pool;
  /** Set for a partitionable node. */
  relay: TcpProxy | undefined;
  /** The load reported with the next heartbeat. */
  load: number;
}

export interface TestCluster {
  database: PostgresTestDatabase;
  /** Connections for the test's own checks. */
  admin: pg.Pool;
  startNode(nodeId: string, options?: TestNodeOptions): Promise<TestNode>;
  /**
   * Runs `write` and the epoch check in one transaction on the node's storage connection, and
   * commits; rolls back and rethrows when either fails.
   */
  commitFenced(node: TestNode, epochs: ReadonlyMap<string, number>, write: (client: pg.PoolClient) => Promise<unknown>): Promise<void>;
  close(): Promise<void>;
}

/** A fresh database with the cluster schema applied. */
export async function createTestCluster(): Promise<TestCluster> {
  const database = await createPostgresTestDatabase();
  const admin = database.openPool();
  await applyClusterSchema(admin);
  const nodes: TestNode[] = [];
  return {
    database,
    admin,
    async startNode(nodeId, options = {}) {
      const relay = options.isPartitionable ? await startTcpProxy(new URL(database.url).hostname, Number(new URL(database.url).port || 5432)) : undefined;
      const coordinationUrl = new URL(database.url);
      if (relay) {
        coordinationUrl.hostname = '127.0.0.1';
        coordinationUrl.port = String(relay.port);
      }
      const pool = database.openPool({ connectionString: coordinationUrl.toString(), max: 3 });
      const node: Partial<TestNode> & { load: number } = { nodeId, load: options.load ?? 0, relay };
      const membership = await NodeMembership.start({
        pool,
        nodeId,
        url: `http://${nodeId}.test:3000`,
        loadOf: () => node.load,
        timing: FAST_TIMING,
        ...(options.monotonicNow ? { monotonicNow: options.monotonicNow } : {}),
      });
      Object.assign(node, { membership, leases: new SessionLeases(pool, membership), storagePool: database.openPool({ max: 2 }) });
      nodes.push(node as TestNode);
      return node as TestNode;
    },
    async commitFenced(node, epochs, write) {
      const client = await node.storagePool.connect();
      try {
        await client.query('BEGIN');
        await write(client);
        await node.leases.assertEpochs(client, epochs);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await Promise.all(nodes.map((node) => node.relay?.close()));
      await Promise.all(nodes.map((node) => node.membership.stop().catch(() => {})));
      await database.drop();
    },
  };
}
