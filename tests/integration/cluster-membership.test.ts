import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clusterTimingWith, LeaseLostError, type UnhealthyReason } from '../../server/cluster/index.ts';
import { createTestCluster, FAST_TIMING, type TestCluster } from '../support/test-cluster.ts';

describe('node membership', () => {
  let cluster: TestCluster;

  beforeEach(async () => {
    cluster = await createTestCluster();
  });

  afterEach(async () => {
    await cluster.close();
  });

  async function heartbeatOf(nodeId: string): Promise<{ load: number; ageMs: number; status: string }> {
    const { rows } = await cluster.admin.query(
      `SELECT load, status, extract(epoch FROM now() - heartbeat_at) * 1000 AS age_ms FROM nodes WHERE node_id = $1 AND status <> 'retired'`,
      [nodeId],
    );
    return { load: rows[0].load, status: rows[0].status, ageMs: Number(rows[0].age_ms) };
  }

  it('renews its heartbeat and reports its load', async () => {
    const a = await cluster.startNode('a', { load: 3 });
    const { rows } = await cluster.admin.query(`SELECT heartbeat_at FROM nodes WHERE node_id = 'a'`);
    const startedBeat = rows[0].heartbeat_at as Date;

    a.load = 42;

    await vi.waitFor(
      async () => {
        const { rows: now } = await cluster.admin.query(`SELECT heartbeat_at, load FROM nodes WHERE node_id = 'a'`);
        expect(now[0].load).toBe(42);
        expect((now[0].heartbeat_at as Date).getTime()).toBeGreaterThan(startedBeat.getTime());
      },
      { timeout: 2_000, interval: 20 },
    );
    expect((await heartbeatOf('a')).ageMs).toBeLessThan(FAST_TIMING.unhealthyAfterMs);
    expect(a.membership.isHealthy()).toBe(true);
  });

  it('stays healthy while its heartbeat is renewed', async () => {
    const a = await cluster.startNode('a');
    const reasons: UnhealthyReason[] = [];
    a.membership.onUnhealthy((reason) => reasons.push(reason));

    await vi.waitFor(async () => expect((await heartbeatOf('a')).load).toBe(0), { timeout: 2_000 });
    await new Promise((resolve) => setTimeout(resolve, FAST_TIMING.deadAfterMs * 1.5));

    expect(a.membership.isHealthy()).toBe(true);
    expect(reasons).toEqual([]);
  });

  it('reports unhealthy once it could not renew its heartbeat for the unhealthy interval, before the others hold it dead', async () => {
    const a = await cluster.startNode('a', { isPartitionable: true });
    const b = await cluster.startNode('b');
    await a.leases.claim('s1');
    const unhealthy = new Promise<UnhealthyReason>((resolve) => a.membership.onUnhealthy(resolve));

    a.relay!.stall();
    const stalledAt = performance.now();

    expect(await unhealthy).toBe('heartbeat-overdue');
    const unhealthyAfter = performance.now() - stalledAt;
    expect(unhealthyAfter).toBeGreaterThanOrEqual(FAST_TIMING.unhealthyAfterMs - FAST_TIMING.heartbeatIntervalMs);
    expect(a.membership.isHealthy()).toBe(false);
    // The others still hold a live: it stopped serving first.
    expect(await b.leases.ownerOf('s1')).toMatchObject({ nodeId: 'a' });
  });

  it('considers every lease lost once unhealthy: no commit, no claim, and the others take its sessions', async () => {
    const a = await cluster.startNode('a', { isPartitionable: true });
    const b = await cluster.startNode('b');
    await a.leases.claim('s1');
    const unhealthy = new Promise((resolve) => a.membership.onUnhealthy(resolve));
    a.relay!.stall();
    await unhealthy;

    const client = await a.storagePool.connect();
    try {
      await expect(a.leases.assertEpochs(client, new Map([['s1', 1]]))).rejects.toBeInstanceOf(LeaseLostError);
    } finally {
      client.release();
    }
    await vi.waitFor(async () => expect(await b.leases.claim('s1')).toEqual({ ok: true, epoch: 2 }), { timeout: 5_000, interval: 50 });
  });

  it('stays unhealthy and retires itself when its heartbeat gets through again', async () => {
    const a = await cluster.startNode('a', { isPartitionable: true });
    await a.leases.claim('s1');
    const unhealthy = new Promise((resolve) => a.membership.onUnhealthy(resolve));
    a.relay!.stall();
    await unhealthy;

    a.relay!.resume();

    await vi.waitFor(
      async () => {
        const { rows } = await cluster.admin.query(`SELECT status FROM nodes WHERE node_id = 'a'`);
        expect(rows).toEqual([{ status: 'retired' }]);
      },
      { timeout: 5_000, interval: 50 },
    );
    expect(a.membership.isHealthy()).toBe(false);
    expect(await a.leases.claim('s2')).toEqual({ ok: false, owner: undefined });
  });

  it('finds itself unhealthy on its own clock even when its watchdog timer has not run', async () => {
    let now = 0;
    const a = await cluster.startNode('a', { monotonicNow: () => now });

    now += FAST_TIMING.unhealthyAfterMs;

    expect(a.membership.isHealthy()).toBe(false);
  });

  it('stops serving instead of renewing its heartbeat when it resumes after a pause longer than the unhealthy interval', async () => {
    let now = 0;
    const a = await cluster.startNode('a', { monotonicNow: () => now });
    const unhealthy = new Promise<UnhealthyReason>((resolve) => a.membership.onUnhealthy(resolve));

    // The pause: the next heartbeat timer runs before the watchdog's and finds the clock moved on.
    now += FAST_TIMING.unhealthyAfterMs;

    expect(await unhealthy).toBe('heartbeat-overdue');
  });

  it('refuses timings where a node could be held dead before it stops serving', () => {
    expect(() => clusterTimingWith({ unhealthyAfterMs: 5_000, deadAfterMs: 5_000 })).toThrow(RangeError);
    expect(() => clusterTimingWith({ heartbeatIntervalMs: 3_000 })).toThrow(RangeError);
    expect(clusterTimingWith()).toEqual({ heartbeatIntervalMs: 1_000, unhealthyAfterMs: 3_000, deadAfterMs: 5_000 });
  });
});
