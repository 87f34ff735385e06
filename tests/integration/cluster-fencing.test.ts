import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LeaseLostError } from '../../server/cluster/index.ts';
import { createTestCluster, FAST_TIMING, type TestCluster, type TestNode } from '../support/test-cluster.ts';

/** A node that has been paused: its heartbeat no longer reaches the database, and its own clock has not moved yet. */
async function startPausableNode(cluster: TestCluster, nodeId: string): Promise<TestNode> {
  return cluster.startNode(nodeId, { isPartitionable: true, monotonicNow: () => 0 });
}

async function waitUntilDead(cluster: TestCluster, nodeId: string): Promise<void> {
  await vi.waitFor(
    async () => {
      const { rows } = await cluster.admin.query(
        `SELECT count(*)::int AS n FROM nodes WHERE node_id = $1 AND status <> 'retired' AND heartbeat_at > now() - $2::float8 * interval '1 millisecond'`,
        [nodeId, FAST_TIMING.deadAfterMs],
      );
      expect(rows[0].n).toBe(0);
    },
    { timeout: 5_000, interval: 50 },
  );
}

function castVote(sessionId: string, choice: string) {
  return (client: { query(text: string, values: unknown[]): Promise<unknown> }) =>
    client.query('INSERT INTO fenced_votes (session_id, choice) VALUES ($1, $2)', [sessionId, choice]);
}

async function storedVotes(cluster: TestCluster): Promise<Array<{ session_id: string; choice: string }>> {
  const { rows } = await cluster.admin.query('SELECT session_id, choice FROM fenced_votes ORDER BY id');
  return rows;
}

describe('fenced commits', () => {
  let cluster: TestCluster;

  beforeEach(async () => {
    cluster = await createTestCluster();
    await cluster.admin.query('CREATE TABLE fenced_votes (id serial PRIMARY KEY, session_id text NOT NULL, choice text NOT NULL)');
  });

  afterEach(async () => {
    await cluster.close();
  });

  it('commits a write for sessions that still have the epoch they were loaded with', async () => {
    const a = await cluster.startNode('a');
    const claimed = await a.leases.claim('s1');
    if (!claimed.ok) throw new Error('claim failed');

    await cluster.commitFenced(a, new Map([['s1', claimed.epoch]]), castVote('s1', 'yes'));

    expect(await storedVotes(cluster)).toEqual([{ session_id: 's1', choice: 'yes' }]);
  });

  it('rolls back the whole batch of a node that resumed after another node took one of its sessions, and stores nothing', async () => {
    const a = await startPausableNode(cluster, 'a');
    const b = await cluster.startNode('b');
    await a.leases.claim('s1');
    await a.leases.claim('s2');
    a.relay!.stall();
    await vi.waitFor(async () => expect(await b.leases.claim('s1')).toEqual({ ok: true, epoch: 2 }), { timeout: 5_000, interval: 50 });
    // a resumes without having noticed the pause (its clock has not moved) and heartbeats again:
    // only the epochs can stop it now.
    a.relay!.resume();
    await vi.waitFor(async () => expect(await b.leases.ownerOf('s2')).toMatchObject({ nodeId: 'a', epoch: 1 }), { timeout: 5_000, interval: 50 });
    expect(a.membership.isHealthy()).toBe(true);

    const commit = cluster.commitFenced(
      a,
      new Map([
        ['s1', 1],
        ['s2', 1],
      ]),
      async (client) => {
        await castVote('s1', 'yes')(client);
        await castVote('s2', 'no')(client);
      },
    );

    const error = await commit.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LeaseLostError);
    expect(error).toMatchObject({ sessionIds: ['s1'], reason: 'epoch-changed' });
    expect(await storedVotes(cluster)).toEqual([]);
  });

  it('names only the sessions whose epoch moved on when the node itself is still live', async () => {
    const a = await cluster.startNode('a');
    const b = await cluster.startNode('b');
    await a.leases.claim('s1');
    await a.leases.claim('s2');
    await a.leases.release(['s1']);
    await b.leases.claim('s1');

    const commit = cluster.commitFenced(
      a,
      new Map([
        ['s1', 1],
        ['s2', 1],
      ]),
      castVote('s2', 'no'),
    );

    await expect(commit).rejects.toMatchObject({ name: 'LeaseLostError', sessionIds: ['s1'], reason: 'epoch-changed' });
    expect(await storedVotes(cluster)).toEqual([]);
  });

  it('rejects a write whose epoch is stale even when the node owns the session again', async () => {
    const a = await cluster.startNode('a');
    await a.leases.claim('s1');
    await a.leases.release(['s1']);
    expect(await a.leases.claim('s1')).toEqual({ ok: true, epoch: 2 });

    await expect(cluster.commitFenced(a, new Map([['s1', 1]]), castVote('s1', 'yes'))).rejects.toMatchObject({ sessionIds: ['s1'], reason: 'epoch-changed' });
    expect(await storedVotes(cluster)).toEqual([]);
  });

  it('rejects a write for a session the node has handed back, before any other node claimed it', async () => {
    const a = await cluster.startNode('a');
    await a.leases.claim('s1');
    await a.leases.release(['s1']);

    await expect(cluster.commitFenced(a, new Map([['s1', 1]]), castVote('s1', 'yes'))).rejects.toMatchObject({ sessionIds: ['s1'], reason: 'epoch-changed' });
    expect(await storedVotes(cluster)).toEqual([]);
  });

  it('rejects a write from a node the database holds dead, even before any other node claims its sessions', async () => {
    const a = await startPausableNode(cluster, 'a');
    await a.leases.claim('s1');
    a.relay!.stall();
    await waitUntilDead(cluster, 'a');
    expect(a.membership.isHealthy()).toBe(true);

    await expect(cluster.commitFenced(a, new Map([['s1', 1]]), castVote('s1', 'yes'))).rejects.toMatchObject({ sessionIds: ['s1'], reason: 'node-not-live' });
    expect(await storedVotes(cluster)).toEqual([]);
  });

  it('rejects a write from a retired incarnation', async () => {
    const before = await cluster.startNode('a', { monotonicNow: () => 0 });
    await before.leases.claim('s1');
    await cluster.startNode('a');

    await expect(cluster.commitFenced(before, new Map([['s1', 1]]), castVote('s1', 'yes'))).rejects.toBeInstanceOf(LeaseLostError);
    expect(await storedVotes(cluster)).toEqual([]);
  });

  it('makes a takeover wait for a commit that passed its check, so the new owner sees the write', async () => {
    const a = await startPausableNode(cluster, 'a');
    const b = await cluster.startNode('b');
    await a.leases.claim('s1');
    const client = await a.storagePool.connect();
    try {
      await client.query('BEGIN');
      await castVote('s1', 'yes')(client);
      await a.leases.assertEpochs(client, new Map([['s1', 1]]));
      a.relay!.stall();
      await waitUntilDead(cluster, 'a');

      const takeover = b.leases.claim('s1');
      await vi.waitFor(
        async () => {
          const { rows } = await cluster.admin.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO session_leases%'`,
          );
          expect(rows[0].n).toBe(1);
        },
        { timeout: 5_000, interval: 20 },
      );
      await client.query('COMMIT');

      expect(await takeover).toEqual({ ok: true, epoch: 2 });
      expect(await storedVotes(cluster)).toEqual([{ session_id: 's1', choice: 'yes' }]);
    } finally {
      client.release();
    }
  });

  it('rejects every write of a node that found itself unhealthy, without asking the database', async () => {
    let now = 0;
    const a = await cluster.startNode('a', { monotonicNow: () => now });
    await a.leases.claim('s1');

    now += FAST_TIMING.unhealthyAfterMs;

    await expect(cluster.commitFenced(a, new Map([['s1', 1]]), castVote('s1', 'yes'))).rejects.toMatchObject({ sessionIds: ['s1'], reason: 'node-not-live' });
    expect(await storedVotes(cluster)).toEqual([]);
  });
});
