/**
 * The bench's stand-in for the shipped HAProxy config, against small real HTTP + Socket.IO servers on
 * random ports: routing by `node`, the fallback when the named node is down, long-polling, and the
 * connections cut when a node is marked down.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextHealth, startNodeRouter, type NodeRouter } from '../../scripts/bench/node-router.ts';

const STATE_TIMEOUT_MS = 5_000;

/** A node: answers `/whoami` and the `whoami` event with its id, and `/healthz` while healthy. */
interface FakeNode {
  id: string;
  port: number;
  isHealthy: boolean;
  /** Requests to /slow wait here until released. */
  heldResponses: http.ServerResponse[];
  close(): Promise<void>;
}

async function startFakeNode(id: string): Promise<FakeNode> {
  const httpServer = http.createServer();
  const node: FakeNode = {
    id,
    port: 0,
    isHealthy: true,
    heldResponses: [],
    async close() {
      for (const response of node.heldResponses) response.destroy();
      await ioServer.close();
    },
  };
  const ioServer = new Server(httpServer, { serveClient: false });
  ioServer.on('connection', (socket) => socket.on('whoami', (ack: (nodeId: string) => void) => ack(id)));
  httpServer.on('request', (request, response) => {
    if (request.url?.startsWith('/socket.io/')) return;
    if (request.url === '/healthz') return void response.writeHead(node.isHealthy ? 200 : 503).end();
    if (request.url?.startsWith('/slow')) return void node.heldResponses.push(response.writeHead(200, { 'Content-Type': 'text/plain' }));
    response.writeHead(200, { 'Content-Type': 'text/plain' }).end(id);
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  node.port = (httpServer.address() as AddressInfo).port;
  return node;
}

async function whoAnswers(router: NodeRouter, query = ''): Promise<string> {
  const response = await fetch(`${router.url}/whoami${query}`);
  return response.text();
}

function connectThrough(router: NodeRouter, transport: 'websocket' | 'polling', nodeId?: string): Socket {
  return io(router.url, { transports: [transport], query: nodeId ? { node: nodeId } : {}, forceNew: true, reconnection: false });
}

function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
}

describe('the node router', () => {
  let nodes: FakeNode[];
  let router: NodeRouter;
  const sockets: Socket[] = [];

  beforeEach(async () => {
    nodes = await Promise.all(['a', 'b', 'c'].map(startFakeNode));
    router = await startNodeRouter({ nodes: nodes.map(({ id, port }) => ({ id, port })) });
  });

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    await router.close();
    await Promise.all(nodes.map((node) => node.close()));
  });

  const nodeNamed = (id: string): FakeNode => nodes.find((node) => node.id === id) as FakeNode;

  it('sends every request naming a node to that node', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => whoAnswers(router, '?node=b')));

    expect(answers).toEqual(['b', 'b', 'b', 'b', 'b', 'b']);
  });

  it('spreads requests without a node over the nodes, round-robin', async () => {
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) answers.push(await whoAnswers(router));

    expect(answers.slice(0, 3).sort()).toEqual(['a', 'b', 'c']);
    expect(answers.slice(3)).toEqual(answers.slice(0, 3));
  });

  it('sends a request naming an unknown node to any up node', async () => {
    expect(['a', 'b', 'c']).toContain(await whoAnswers(router, '?node=zz'));
  });

  it('marks a node down after its health checks fail and sends its requests to the others', async () => {
    nodeNamed('b').isHealthy = false;
    await router.waitForState('b', false, STATE_TIMEOUT_MS);

    const answers = await Promise.all(Array.from({ length: 6 }, () => whoAnswers(router, '?node=b')));

    expect(router.isUp('b')).toBe(false);
    expect(new Set(answers)).toEqual(new Set(['a', 'c']));
  });

  it('marks a node up again once its health checks pass, and routes to it', async () => {
    nodeNamed('b').isHealthy = false;
    await router.waitForState('b', false, STATE_TIMEOUT_MS);
    nodeNamed('b').isHealthy = true;
    await router.waitForState('b', true, STATE_TIMEOUT_MS);

    expect(await whoAnswers(router, '?node=b')).toBe('b');
  });

  it('answers 503 when no node is up', async () => {
    for (const node of nodes) node.isHealthy = false;
    await Promise.all(nodes.map((node) => router.waitForState(node.id, false, STATE_TIMEOUT_MS)));

    expect((await fetch(`${router.url}/whoami`)).status).toBe(503);
  });

  it('carries a WebSocket to the node it names', async () => {
    const socket = connectThrough(router, 'websocket', 'c');
    sockets.push(socket);
    await connected(socket);

    expect(await socket.timeout(2_000).emitWithAck('whoami')).toBe('c');
    expect(router.openConnectionsOf('c')).toBe(1);
  });

  it('carries Socket.IO long-polling when every request names the node', async () => {
    const socket = connectThrough(router, 'polling', 'a');
    sockets.push(socket);
    await connected(socket);

    for (let i = 0; i < 5; i++) expect(await socket.timeout(2_000).emitWithAck('whoami')).toBe('a');
  });

  it('breaks Socket.IO long-polling without a node: its requests land on nodes that do not know its sid', async () => {
    const socket = connectThrough(router, 'polling');
    sockets.push(socket);

    await expect(connected(socket)).rejects.toThrow();
  });

  it('cuts every open connection to a node at once when it is marked down', async () => {
    const webSocket = connectThrough(router, 'websocket', 'a');
    const polling = connectThrough(router, 'polling', 'a');
    const bystander = connectThrough(router, 'websocket', 'b');
    sockets.push(webSocket, polling, bystander);
    await Promise.all([webSocket, polling, bystander].map(connected));
    const heldRequest = fetch(`${router.url}/slow?node=a`).then(
      (response) => response.text(),
      (error: unknown) => error,
    );
    await expect.poll(() => nodeNamed('a').heldResponses.length).toBe(1);
    const reasons = [webSocket, polling].map((socket) => new Promise<string>((resolve) => socket.once('disconnect', resolve)));

    nodeNamed('a').isHealthy = false;
    await router.waitForState('a', false, STATE_TIMEOUT_MS);

    // A cut WebSocket reads as a closed transport; a cut long-polling request as a failed one.
    expect(await Promise.all(reasons)).toEqual(['transport close', expect.stringMatching(/^transport (close|error)$/)]);
    expect(await heldRequest).toBeInstanceOf(Error);
    expect(router.openConnectionsOf('a')).toBe(0);
    expect(bystander.connected).toBe(true);
  });

  it('leaves no socket, server or timer behind once closed', async () => {
    const before = process.getActiveResourcesInfo().length;
    const other = await startNodeRouter({ nodes: nodes.map(({ id, port }) => ({ id, port })) });
    const socket = connectThrough(other, 'websocket', 'a');
    await connected(socket);
    await whoAnswers(other, '?node=b');

    await other.close();
    socket.disconnect();

    await expect.poll(() => process.getActiveResourcesInfo().length).toBeLessThanOrEqual(before);
    await expect(fetch(`${other.url}/whoami`)).rejects.toThrow();
  });
});

describe('a node health under checks', () => {
  const limits = { fall: 2, rise: 2 };

  it('stays up after one failed check and goes down after the second in a row', () => {
    const once = nextHealth({ isUp: true, streak: 0 }, false, limits);
    expect(once).toEqual({ isUp: true, streak: 1 });
    expect(nextHealth(once, false, limits)).toEqual({ isUp: false, streak: 0 });
  });

  it('forgets a failed check when the next one passes', () => {
    const once = nextHealth({ isUp: true, streak: 0 }, false, limits);
    expect(nextHealth(once, true, limits)).toEqual({ isUp: true, streak: 0 });
  });

  it('comes back up after two passed checks in a row', () => {
    const once = nextHealth({ isUp: false, streak: 0 }, true, limits);
    expect(once).toEqual({ isUp: false, streak: 1 });
    expect(nextHealth(once, true, limits)).toEqual({ isUp: true, streak: 0 });
  });
});
