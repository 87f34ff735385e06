import { afterEach, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { callApi } from '../../client/lib/api.ts';
import { followOwner, SessionRoute, type FollowOwnerOptions } from '../../client/lib/session-home.ts';
import { ErrorCode, NODE_QUERY_PARAM } from '../../shared/contract.ts';
import { FAKE_CODE, startFakeCluster, type FakeCluster } from '../support/fake-cluster.ts';

/** Fast timings for tests; the jitter lands at the top of each window, so a lower bound shows it applied. */
const FAST: FollowOwnerOptions = { moveJitterMs: 30, maxMoveJitterMs: 120, pollMinMs: 20, pollMaxMs: 40, switchJitterMs: 30, random: () => 0.99 };

const clusters: FakeCluster[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  for (const cluster of clusters.splice(0)) await cluster.close();
});

async function cluster(...nodeIds: string[]): Promise<FakeCluster> {
  const started = await startFakeCluster(nodeIds);
  clusters.push(started);
  return started;
}

/**
 * A socket following the session's owner through the router. Socket.IO's own retries wait a minute,
 * so a connection that comes back sooner was brought back by the follower.
 */
function follow(on: FakeCluster, options: FollowOwnerOptions = FAST): { socket: Socket; route: SessionRoute } {
  const route = new SessionRoute(FAKE_CODE, { baseUrl: on.baseUrl, homeTimeoutMs: 1000 });
  const socket = io(on.baseUrl, { autoConnect: false, forceNew: true, transports: ['websocket'], reconnectionDelay: 60_000, reconnectionDelayMax: 60_000 });
  sockets.push(socket);
  followOwner(socket, route, options);
  return { socket, route };
}

const namedNode = (socket: Socket): unknown => (socket.io.opts.query as Record<string, string> | undefined)?.[NODE_QUERY_PARAM];

/** Resolves once the socket is connected (at once when it is). */
function connected(socket: Socket): Promise<void> {
  return socket.connected ? Promise.resolve() : new Promise((resolve) => socket.once('connect', () => resolve()));
}

function disconnected(socket: Socket): Promise<string> {
  return new Promise((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
}

/** Resolves with the times of the first `count` refused handshakes of `socket`. */
function refusals(socket: Socket, count: number): Promise<number[]> {
  const seen: number[] = [];
  return new Promise((resolve) => {
    socket.on('connect_error', () => {
      seen.push(Date.now());
      if (seen.length === count) resolve(seen);
    });
  });
}

/**
 * A socket connected on node-a whose node then moves the session to node-b with session:moved (naming
 * it) and closes the connection; resolves once the socket has seen it drop.
 */
async function movedToB(fake: FakeCluster, options: FollowOwnerOptions): Promise<Socket> {
  const { socket } = follow(fake, options);
  const first = await fake.nextArrival();
  await connected(socket);
  fake.ownerNodeId = 'node-b';
  const dropped = disconnected(socket);
  first.socket.emit('session:moved', { owner: OWNER_B });
  first.socket.disconnect(true);
  await dropped;
  return socket;
}

/** Waits `ms` of real time: only to show that something does not happen. */
const quietFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const OWNER_B = { nodeId: 'node-b', url: 'http://node-b.test' };

describe("a socket following its session's owner", () => {
  it('asks home before its first connection and names that node', async () => {
    const fake = await cluster('node-a', 'node-b');
    fake.ownerNodeId = 'node-b';
    const { socket, route } = follow(fake);
    expect(await fake.nextArrival()).toMatchObject({ servedBy: 'node-b', named: 'node-b' });
    expect(fake.refusals).toEqual([]);
    expect(route.nodeId).toBe('node-b');
    expect(namedNode(socket)).toBe('node-b');
  });

  it('connects at once, without asking home, when the route already names the node (the join page carries it)', async () => {
    const fake = await cluster('node-a', 'node-b');
    fake.ownerNodeId = 'node-b';
    const route = new SessionRoute(FAKE_CODE, { baseUrl: fake.baseUrl });
    route.nodeId = 'node-b';
    const socket = io(fake.baseUrl, { autoConnect: false, forceNew: true, transports: ['websocket'] });
    sockets.push(socket);
    followOwner(socket, route, FAST);
    expect(await fake.nextArrival()).toMatchObject({ servedBy: 'node-b', named: 'node-b' });
    expect(fake.homeAskedAt).toEqual([]);
  });

  it('connects without a node when home does not answer, as a single node accepts', async () => {
    const fake = await cluster('only');
    fake.homeNodeId = null;
    const { route } = follow(fake);
    expect(await fake.nextArrival()).toMatchObject({ servedBy: 'only', named: undefined });
    expect(route.nodeId).toBeUndefined();
  });

  it('goes to the owner session:moved names, after its jitter', async () => {
    const fake = await cluster('node-a', 'node-b');
    const { socket } = follow(fake, { ...FAST, moveJitterMs: 200, maxMoveJitterMs: 200 });
    const first = await fake.nextArrival();
    await connected(socket);
    // home still names the old node: only the event's owner leads to node-b.
    fake.ownerNodeId = 'node-b';
    fake.homeNodeId = 'node-a';
    const next = fake.nextArrival();
    const movedAt = Date.now();
    first.socket.emit('session:moved', { owner: OWNER_B });
    first.socket.disconnect(true);
    expect(await next).toMatchObject({ servedBy: 'node-b', named: 'node-b' });
    expect(Date.now() - movedAt).toBeGreaterThanOrEqual(198);
    await connected(socket);
    expect(fake.refusals).toEqual([]);
  });

  it('drops its own reconnect when the page connected it meanwhile', async () => {
    const fake = await cluster('node-a', 'node-b');
    const socket = await movedToB(fake, { ...FAST, moveJitterMs: 200, maxMoveJitterMs: 200 });
    // The phone comes back from a locked screen: the page reconnects at once.
    socket.connect();
    await connected(socket);
    await quietFor(400);
    expect(fake.arrivals.map((arrival) => arrival.servedBy)).toEqual(['node-a', 'node-b']);
    expect(fake.refusals).toEqual([]);
    expect(socket.connected).toBe(true);
  });

  it('asks home again after a session:moved that names no owner', async () => {
    const fake = await cluster('node-a', 'node-b');
    const { socket, route } = follow(fake);
    const first = await fake.nextArrival();
    await connected(socket);
    fake.ownerNodeId = 'node-b';
    const next = fake.nextArrival();
    first.socket.emit('session:moved', {});
    first.socket.disconnect(true);
    expect(await next).toMatchObject({ servedBy: 'node-b', named: 'node-b' });
    expect(route.nodeId).toBe('node-b');
    expect(fake.homeAskedAt).toHaveLength(2);
  });

  it('goes to the owner a handshake refused as moved names', async () => {
    const fake = await cluster('node-a', 'node-b');
    fake.ownerNodeId = 'node-b';
    fake.homeNodeId = 'node-a';
    const { socket } = follow(fake);
    expect(await fake.nextArrival()).toMatchObject({ servedBy: 'node-b', named: 'node-b' });
    await connected(socket);
    expect(fake.refusals).toEqual(['node-a']);
    expect(fake.homeAskedAt).toHaveLength(1);
  });

  it('asks home again after a handshake refused as moved without an owner', async () => {
    const fake = await cluster('node-a', 'node-b');
    fake.ownerNodeId = 'node-b';
    fake.isOwnerNamed = false;
    fake.homeSequence = ['node-a'];
    const { socket, route } = follow(fake);
    expect(await fake.nextArrival()).toMatchObject({ servedBy: 'node-b', named: 'node-b' });
    await connected(socket);
    expect(fake.refusals).toEqual(['node-a']);
    expect(fake.homeAskedAt).toHaveLength(2);
    expect(route.nodeId).toBe('node-b');
  });

  it('waits longer after each move in a row that did not get it connected, up to a bound', async () => {
    const fake = await cluster('node-a', 'node-b');
    // node-b runs it, but home and the refusals keep naming node-a.
    fake.ownerNodeId = 'node-b';
    fake.homeNodeId = 'node-a';
    fake.isOwnerNamed = false;
    const route = new SessionRoute(FAKE_CODE, { baseUrl: fake.baseUrl });
    const socket = io(fake.baseUrl, { autoConnect: false, forceNew: true, transports: ['websocket'] });
    sockets.push(socket);
    const refusedAt = refusals(socket, 6);
    followOwner(socket, route, { ...FAST, moveJitterMs: 40, maxMoveJitterMs: 80 });
    const times = await refusedAt;
    socket.close();
    const waits = times.slice(1).map((at, i) => at - times[i]!);
    // 0.99 of 40, then of 80 each time: doubling on would be 160, 320, 640.
    expect(waits[0]).toBeGreaterThanOrEqual(39);
    for (const wait of waits.slice(1)) expect(wait).toBeGreaterThanOrEqual(79);
    expect(waits[4]).toBeLessThan(400);
  });

  it('asks home each poll interval, and no sooner, while refusals name the node it asked for (down, not yet dead to the cluster)', async () => {
    const fake = await cluster('node-a', 'node-b');
    const route = new SessionRoute(FAKE_CODE, { baseUrl: fake.baseUrl });
    // Socket.IO's own retry comes at once here, as the first of a real phone's retries after a kill.
    const socket = io(fake.baseUrl, { autoConnect: false, forceNew: true, transports: ['websocket'], reconnectionDelay: 10, reconnectionDelayMax: 10 });
    sockets.push(socket);
    followOwner(socket, route, { ...FAST, pollMinMs: 150, pollMaxMs: 150 });
    await fake.nextArrival();
    await connected(socket);
    const refusedAt = refusals(socket, 3);
    // The router sends node=node-a to node-b, which refuses it naming node-a: still the owner to the database.
    await fake.nodes.get('node-a')!.kill();
    const times = await refusedAt;
    expect(fake.refusals.slice(-3)).toEqual(['node-a', 'node-a', 'node-a']);
    const waits = times.slice(1).map((at, i) => at - times[i]!);
    for (const wait of waits) expect(wait).toBeGreaterThanOrEqual(148);

    fake.ownerNodeId = 'node-b';
    expect(await fake.nextArrival()).toMatchObject({ servedBy: 'node-b', named: 'node-b' });
    await connected(socket);
  });

  it('starts again from the shortest wait after each move that got it connected', async () => {
    const fake = await cluster('node-a', 'node-b');
    const { socket } = follow(fake, { ...FAST, moveJitterMs: 150, maxMoveJitterMs: 10_000 });
    let current = await fake.nextArrival();
    const delays: number[] = [];
    for (const nodeId of ['node-b', 'node-a', 'node-b']) {
      await connected(socket);
      fake.ownerNodeId = nodeId;
      const next = fake.nextArrival();
      const movedAt = Date.now();
      current.socket.emit('session:moved', { owner: { nodeId, url: `http://${nodeId}.test` } });
      current.socket.disconnect(true);
      current = await next;
      delays.push(Date.now() - movedAt);
    }
    // 0.99 of 150 ms each time; counted as moves in a row, the third would wait 600 ms.
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(148);
    expect(delays[2]).toBeLessThan(450);
  });

  it("follows home to another node once the node it was on is killed, without waiting for Socket.IO's retry", async () => {
    const fake = await cluster('node-a', 'node-b');
    const { socket, route } = follow(fake);
    await fake.nextArrival();
    await connected(socket);
    const dropped = disconnected(socket);
    // For three more answers home still names the dead node; then the session is placed on node-b.
    fake.ownerNodeId = 'node-b';
    fake.homeSequence = ['node-a', 'node-a', 'node-a'];
    const next = fake.nextArrival();
    await fake.nodes.get('node-a')!.kill();
    expect(await dropped).toBe('transport close');
    expect(await next).toMatchObject({ servedBy: 'node-b', named: 'node-b' });
    const arrivedAt = Date.now();
    await connected(socket);
    expect(route.nodeId).toBe('node-b');
    expect(fake.homeAskedAt).toHaveLength(5);
    // After the switch's jitter (0.99 of 30 ms), and after a poll's wait (20 to 40 ms) each time.
    expect(arrivedAt - fake.homeAskedAt[4]!).toBeGreaterThanOrEqual(29);
    for (let i = 2; i < 5; i += 1) expect(fake.homeAskedAt[i]! - fake.homeAskedAt[i - 1]!).toBeGreaterThanOrEqual(19);
    // It never tried node-a again: the router would have sent that to node-b, which refuses it.
    expect(fake.refusals).toEqual([]);
    await quietFor(150);
    expect(fake.homeAskedAt).toHaveLength(5);
  });

  it('asks home while a connection it opened itself cannot be made, and goes where home says', async () => {
    const fake = await cluster('node-a', 'node-b');
    const { socket } = follow(fake);
    await fake.nextArrival();
    await connected(socket);
    // node-a stops answering before the router marks it down; the session is placed on node-b. The
    // page replaces its connection (a vote's answer never came): that attempt fails on the way.
    fake.unreachable.add('node-a');
    fake.ownerNodeId = 'node-b';
    const failed = new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    const next = fake.nextArrival();
    socket.disconnect().connect();
    expect(await failed).not.toHaveProperty('data');
    expect(await next).toMatchObject({ servedBy: 'node-b', named: 'node-b' });
    expect(fake.refusals).toEqual([]);
  });

  it("names, in Socket.IO's own retries, the node a REST answer moved the route to", async () => {
    const fake = await cluster('node-a', 'node-b', 'node-c');
    const route = new SessionRoute(FAKE_CODE, { baseUrl: fake.baseUrl });
    const socket = io(fake.baseUrl, { autoConnect: false, forceNew: true, transports: ['websocket'], reconnectionDelay: 300, reconnectionDelayMax: 300 });
    sockets.push(socket);
    // Asking home while down is far off: only Socket.IO's retry can bring it back.
    followOwner(socket, route, { ...FAST, pollMinMs: 60_000, pollMaxMs: 60_000 });
    await fake.nextArrival();
    await connected(socket);
    const dropped = disconnected(socket);
    await fake.nodes.get('node-a')!.kill();
    await dropped;
    // The request naming node-a reaches node-b, which names node-c.
    fake.ownerNodeId = 'node-c';
    const next = fake.nextArrival();
    expect(await callApi(`/api/sessions/${FAKE_CODE}/deck`, {}, route)).toEqual({ ok: true, data: { servedBy: 'node-c' } });
    expect(await next).toMatchObject({ servedBy: 'node-c', named: 'node-c' });
    expect(fake.refusals).toEqual([]);
  });

  it('leaves nothing running after close(): no reconnect after its jitter', async () => {
    const fake = await cluster('node-a', 'node-b');
    const socket = await movedToB(fake, { ...FAST, moveJitterMs: 100 });
    socket.close();
    await quietFor(300);
    expect(fake.arrivals.map((arrival) => arrival.servedBy)).toEqual(['node-a']);
  });

  it('leaves nothing running after close(): no more home requests once it stopped polling', async () => {
    const fake = await cluster('node-a', 'node-b');
    const { socket } = follow(fake);
    await fake.nextArrival();
    await connected(socket);
    const dropped = disconnected(socket);
    await fake.nodes.get('node-a')!.kill();
    await dropped;
    // Polling has begun when home is asked once more.
    fake.homeSequence = ['node-a'];
    await fake.homeAsked(2);
    socket.close();
    const asked = fake.homeAskedAt.length;
    fake.ownerNodeId = 'node-b';
    await quietFor(300);
    expect(fake.homeAskedAt).toHaveLength(asked);
    expect(fake.arrivals.map((arrival) => arrival.servedBy)).toEqual(['node-a']);
  });
});

describe('a REST request of the session', () => {
  it('names the node once it is known', async () => {
    const fake = await cluster('node-a', 'node-b');
    fake.ownerNodeId = 'node-b';
    const route = new SessionRoute(FAKE_CODE, { baseUrl: fake.baseUrl });
    route.nodeId = 'node-b';
    expect(await callApi(`/api/sessions/${FAKE_CODE}/deck`, {}, route)).toEqual({ ok: true, data: { servedBy: 'node-b' } });
    expect(fake.requests).toEqual([{ servedBy: 'node-b', named: 'node-b' }]);
  });

  it('answered moved, is sent once more to the owner named, or else to the one home names', async () => {
    const fake = await cluster('node-a', 'node-b');
    fake.ownerNodeId = 'node-b';
    const route = new SessionRoute(FAKE_CODE, { baseUrl: fake.baseUrl });
    route.nodeId = 'node-a';
    expect(await callApi(`/api/sessions/${FAKE_CODE}/deck`, {}, route)).toEqual({ ok: true, data: { servedBy: 'node-b' } });
    expect(fake.requests.map((request) => request.named)).toEqual(['node-a', 'node-b']);
    expect(route.nodeId).toBe('node-b');

    fake.isOwnerNamed = false;
    fake.ownerNodeId = 'node-a';
    expect(await callApi(`/api/sessions/${FAKE_CODE}/deck`, {}, route)).toEqual({ ok: true, data: { servedBy: 'node-a' } });
    expect(fake.requests.map((request) => request.named)).toEqual(['node-a', 'node-b', 'node-b', 'node-a']);
    expect(fake.homeAskedAt).toHaveLength(1);
  });

  it('is sent once more at most when the node named refuses it too', async () => {
    const fake = await cluster('node-a', 'node-b');
    fake.ownerNodeId = 'node-b';
    fake.homeNodeId = 'node-a';
    fake.isOwnerNamed = false;
    const route = new SessionRoute(FAKE_CODE, { baseUrl: fake.baseUrl });
    route.nodeId = 'node-a';
    const answer = await callApi(`/api/sessions/${FAKE_CODE}/deck`, {}, route);
    expect(answer).toMatchObject({ ok: false, error: { code: ErrorCode.moved } });
    expect(fake.requests.map((request) => request.named)).toEqual(['node-a', 'node-a']);
    expect(fake.homeAskedAt).toHaveLength(1);
  });
});
