import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestCluster, FAST_TIMING, type TestCluster } from '../support/test-cluster.ts';

describe('session leases', () => {
  let cluster: TestCluster;

  beforeEach(async () => {
    cluster = await createTestCluster();
  });

  afterEach(async () => {
    await cluster.close();
  });

  it('gives an unowned session to the node that claims it, at epoch 1', async () => {
    const a = await cluster.startNode('a');

    expect(await a.leases.claim('s1')).toEqual({ ok: true, epoch: 1 });
    expect(await a.leases.ownerOf('s1')).toEqual({ nodeId: 'a', url: 'http://a.test:3000', epoch: 1 });
  });

  it('confirms a claim by the owner itself without raising the epoch', async () => {
    const a = await cluster.startNode('a');
    await a.leases.claim('s1');

    expect(await a.leases.claim('s1')).toEqual({ ok: true, epoch: 1 });
  });

  it('refuses a claim by another node while the owner lives, naming the owner', async () => {
    const a = await cluster.startNode('a');
    const b = await cluster.startNode('b');
    await a.leases.claim('s1');

    expect(await b.leases.claim('s1')).toEqual({ ok: false, owner: { nodeId: 'a', url: 'http://a.test:3000', epoch: 1 } });
  });

  it('lets exactly one of several nodes racing on their own connections win each session', async () => {
    const nodes = await Promise.all(['a', 'b', 'c'].map((id) => cluster.startNode(id)));
    const sessions = Array.from({ length: 30 }, (_, i) => `s${i}`);

    for (const sessionId of sessions) {
      const results = await Promise.all(nodes.map((node) => node.leases.claim(sessionId)));
      expect(results.filter((result) => result.ok)).toEqual([{ ok: true, epoch: 1 }]);
    }
  });

  it('lets exactly one of several nodes racing win the session of a dead owner, at the next epoch', async () => {
    const dead = await cluster.startNode('dead', { isPartitionable: true });
    const nodes = await Promise.all(['a', 'b', 'c'].map((id) => cluster.startNode(id)));
    const sessions = Array.from({ length: 20 }, (_, i) => `s${i}`);
    for (const sessionId of sessions) await dead.leases.claim(sessionId);
    dead.relay!.stall();
    await vi.waitFor(async () => expect(await nodes[0]!.leases.ownerOf('s0')).toBeUndefined(), { timeout: 5_000, interval: 50 });

    for (const sessionId of sessions) {
      const results = await Promise.all(nodes.map((node) => node.leases.claim(sessionId)));
      expect(results.filter((result) => result.ok)).toEqual([{ ok: true, epoch: 2 }]);
    }
  });

  it('lets another node claim once the owner has not been heard from for the dead interval, with the epoch raised', async () => {
    const a = await cluster.startNode('a', { isPartitionable: true });
    const b = await cluster.startNode('b');
    await a.leases.claim('s1');

    a.relay!.stall();
    const stalledAt = performance.now();
    expect((await b.leases.claim('s1')).ok).toBe(false);
    await vi.waitFor(async () => expect(await b.leases.claim('s1')).toEqual({ ok: true, epoch: 2 }), { timeout: 5_000, interval: 50 });

    // a's last heartbeat was at most one interval before the stall.
    expect(performance.now() - stalledAt).toBeGreaterThanOrEqual(FAST_TIMING.deadAfterMs - FAST_TIMING.heartbeatIntervalMs);
    expect(await b.leases.ownerOf('s1')).toEqual({ nodeId: 'b', url: 'http://b.test:3000', epoch: 2 });
  });

  it('frees the sessions of a restarted node at once by retiring its previous incarnation', async () => {
    const before = await cluster.startNode('a');
    const b = await cluster.startNode('b');
    await before.leases.claim('s1');
    const unhealthy = new Promise((resolve) => before.membership.onUnhealthy(resolve));

    const after = await cluster.startNode('a');

    expect(after.membership.incarnation).toBeGreaterThan(before.membership.incarnation);
    expect(await b.leases.claim('s1')).toEqual({ ok: true, epoch: 2 });
    expect(await unhealthy).toBe('incarnation-retired');
    const { rows } = await cluster.admin.query(`SELECT incarnation::int, status FROM nodes WHERE node_id = 'a' ORDER BY incarnation`);
    expect(rows).toEqual([
      { incarnation: before.membership.incarnation, status: 'retired' },
      { incarnation: after.membership.incarnation, status: 'live' },
    ]);
  });

  it('makes released sessions claimable at once, keeping their epoch rising', async () => {
    const a = await cluster.startNode('a');
    const b = await cluster.startNode('b');
    await a.leases.claim('s1');
    await a.leases.claim('s2');

    expect(await a.leases.release(['s1'])).toEqual(['s1']);

    expect(await a.leases.ownerOf('s1')).toBeUndefined();
    expect(await b.leases.claim('s1')).toEqual({ ok: true, epoch: 2 });
    expect(await b.leases.claim('s2')).toMatchObject({ ok: false });
  });

  it('releases only sessions the node owns', async () => {
    const a = await cluster.startNode('a');
    const b = await cluster.startNode('b');
    await a.leases.claim('s1');

    expect(await b.leases.release(['s1'])).toEqual([]);
    expect(await b.leases.claim('s1')).toMatchObject({ ok: false });
  });

  it('hands back every session of a node shutting down, so another takes them at once', async () => {
    const a = await cluster.startNode('a');
    const b = await cluster.startNode('b');
    await a.leases.claim('s1');
    await b.leases.placeSession('s2');
    await a.leases.placeSession('s3');

    await a.membership.drain();
    expect(await a.leases.releaseAll()).toEqual(['s1', 's3']);
    await a.membership.stop();

    expect(await b.leases.claim('s1')).toEqual({ ok: true, epoch: 2 });
    expect(await b.leases.claim('s3')).toEqual({ ok: true, epoch: 2 });
  });

  it('frees the sessions of a stopped node at once', async () => {
    const a = await cluster.startNode('a');
    const b = await cluster.startNode('b');
    await a.leases.claim('s1');

    await a.membership.stop();

    expect(await b.leases.claim('s1')).toEqual({ ok: true, epoch: 2 });
  });
});

describe('session placement', () => {
  let cluster: TestCluster;

  beforeEach(async () => {
    cluster = await createTestCluster();
  });

  afterEach(async () => {
    await cluster.close();
  });

  it('places a session with no live owner on the node owning the fewest sessions, then the lowest load', async () => {
    const a = await cluster.startNode('a', { load: 0 });
    await cluster.startNode('b', { load: 5 });
    await cluster.startNode('c', { load: 10 });
    await a.leases.claim('owned-1');
    await a.leases.claim('owned-2');

    expect((await a.leases.placeSession('x'))?.nodeId).toBe('b');
    expect((await a.leases.placeSession('y'))?.nodeId).toBe('c');
    expect((await a.leases.placeSession('z'))?.nodeId).toBe('b');
  });

  it('answers the live owner of a placed session without moving it or raising its epoch', async () => {
    const a = await cluster.startNode('a');
    const b = await cluster.startNode('b', { load: 7 });
    await b.leases.claim('s1');

    expect(await a.leases.placeSession('s1')).toEqual({ nodeId: 'b', url: 'http://b.test:3000', epoch: 1 });
  });

  it('lets the node a session was placed on claim it at the epoch it was placed with', async () => {
    const a = await cluster.startNode('a', { load: 9 });
    const b = await cluster.startNode('b', { load: 1 });

    const owner = await a.leases.placeSession('s1');

    expect(owner).toEqual({ nodeId: 'b', url: 'http://b.test:3000', epoch: 1 });
    expect(await b.leases.claim('s1')).toEqual({ ok: true, epoch: 1 });
    expect(await a.leases.claim('s1')).toMatchObject({ ok: false });
  });

  it('never places a session on a draining or dead node', async () => {
    const a = await cluster.startNode('a', { isPartitionable: true });
    const b = await cluster.startNode('b', { load: 50 });
    const c = await cluster.startNode('c', { load: 0 });
    await b.leases.claim('owned-1');
    await c.leases.claim('owned-2');
    await c.membership.drain();
    a.relay!.stall();
    await vi.waitFor(
      async () => {
        const { rows } = await cluster.admin.query(
          `SELECT count(*)::int AS n FROM nodes WHERE node_id = 'a' AND heartbeat_at > now() - $1::float8 * interval '1 millisecond'`,
          [FAST_TIMING.deadAfterMs],
        );
        expect(rows[0].n).toBe(0);
      },
      { timeout: 5_000, interval: 50 },
    );

    expect((await b.leases.placeSession('x'))?.nodeId).toBe('b');
  });

  it('takes a session from a dead owner and places it on a live node, at the next epoch', async () => {
    const a = await cluster.startNode('a', { isPartitionable: true });
    const b = await cluster.startNode('b');
    await a.leases.claim('s1');

    a.relay!.stall();

    await vi.waitFor(async () => expect(await b.leases.placeSession('s1')).toEqual({ nodeId: 'b', url: 'http://b.test:3000', epoch: 2 }), {
      timeout: 5_000,
      interval: 50,
    });
  });

  it('places nothing when no node is live', async () => {
    const a = await cluster.startNode('a');
    await a.membership.drain();

    expect(await a.leases.placeSession('s1')).toBeUndefined();
  });
});
