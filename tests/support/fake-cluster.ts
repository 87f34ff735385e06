/**
 * A stand-in for kotae's cluster, for the client's side of following a session's owner: small
 * node:http + Socket.IO nodes on ephemeral ports behind a router that, like HAProxy, sends each
 * connection to the node its `node=` query names (to any live node when it names none or a dead one).
 * Every node answers `home` from what the test set; a node that does not run the session refuses it
 * as moved. One session, one code: only the routing is real, none of kotae's server code runs.
 */
import http from 'node:http';
import net from 'node:net';
import { Server, type Socket } from 'socket.io';
import { apiPaths, ErrorCode, NODE_QUERY_PARAM, type ErrorBody, type SessionHome } from '../../shared/contract.ts';

/** The session's join code. */
export const FAKE_CODE = 'ABCDEF';

/** A connection a node accepted. */
export interface Arrival {
  servedBy: string;
  /** The `node` query the client sent. */
  named: string | undefined;
  socket: Socket;
}

export interface FakeNode {
  nodeId: string;
  io: Server;
  isUp: boolean;
  /** Ends the node as `kill -9` would: its connections drop without a word, it stops listening. */
  kill(): Promise<void>;
}

export interface FakeCluster {
  /** The router: the clients' one origin. */
  baseUrl: string;
  nodes: Map<string, FakeNode>;
  /** The node that runs the session: the only one that accepts it. */
  ownerNodeId: string;
  /** What `home` answers: by default the owner; null answers an error. */
  homeNodeId: string | null | undefined;
  /** Answers `home` gives first, one per request, before homeNodeId (a home that lags behind). */
  homeSequence: Array<string | null>;
  /** Whether a moved refusal names the owner (a node that knows it) or not. */
  isOwnerNamed: boolean;
  /** Nodes the router cannot reach although not marked down: connections naming them fail. */
  unreachable: Set<string>;
  /** When `home` was asked, each time. */
  homeAskedAt: number[];
  /** Every handshake refused as moved, with the node it named. */
  refusals: Array<string | undefined>;
  /** Every connection a node accepted. */
  arrivals: Arrival[];
  /** Every REST request of the session other than `home`, with the node it named. */
  requests: Array<{ servedBy: string; named: string | undefined }>;
  /** Resolves once `home` has been asked `count` times in all. */
  homeAsked(count: number, timeoutMs?: number): Promise<void>;
  /** Resolves with the next connection a node accepts that passes `accept`. */
  nextArrival(accept?: (arrival: Arrival) => boolean, timeoutMs?: number): Promise<Arrival>;
  close(): Promise<void>;
}

const homeOf = (nodeId: string): SessionHome => ({ nodeId, url: `http://${nodeId}.test` });

export async function startFakeCluster(nodeIds: string[]): Promise<FakeCluster> {
  const waiting = new Set<{ accept: (arrival: Arrival) => boolean; resolve: (arrival: Arrival) => void }>();
  const homeWaiters = new Set<() => void>();
  const ports = new Map<string, number>();
  const routed = new Map<string, Set<net.Socket>>();
  const cluster: FakeCluster = {
    baseUrl: '',
    nodes: new Map(),
    ownerNodeId: nodeIds[0]!,
    homeNodeId: undefined,
    homeSequence: [],
    unreachable: new Set(),
    arrivals: [],
    isOwnerNamed: true,
    homeAskedAt: [],
    refusals: [],
    requests: [],
    homeAsked(count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (cluster.homeAskedAt.length < count) return;
          clearTimeout(timer);
          homeWaiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          homeWaiters.delete(check);
          reject(new Error(`home asked ${cluster.homeAskedAt.length} times, not ${count}, within ${timeoutMs} ms`));
        }, timeoutMs);
        homeWaiters.add(check);
        check();
      });
    },
    nextArrival(accept = () => true, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const entry = {
          accept,
          resolve: (arrival: Arrival) => {
            clearTimeout(timer);
            resolve(arrival);
          },
        };
        const timer = setTimeout(() => {
          waiting.delete(entry);
          reject(new Error(`no matching connection within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.add(entry);
      });
    },
    async close() {
      for (const node of cluster.nodes.values()) if (node.isUp) await node.kill();
      for (const connection of inbounds) connection.destroy();
      await new Promise<void>((resolve) => router.close(() => resolve()));
    },
  };
  const movedBody = (): ErrorBody => ({
    code: ErrorCode.moved,
    message: 'the session is run by another node',
    ...(cluster.isOwnerNamed ? { owner: homeOf(cluster.ownerNodeId) } : {}),
  });

  for (const nodeId of nodeIds) {
    const httpServer = http.createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://node.test');
      // One request per connection: the router routes connections, not requests.
      response.setHeader('Connection', 'close');
      response.setHeader('Content-Type', 'application/json');
      if (url.pathname === apiPaths.home(FAKE_CODE)) {
        cluster.homeAskedAt.push(Date.now());
        for (const check of homeWaiters) check();
        const named = cluster.homeSequence.length > 0 ? cluster.homeSequence.shift()! : cluster.homeNodeId === undefined ? cluster.ownerNodeId : cluster.homeNodeId;
        if (named === null) return void response.writeHead(503).end(JSON.stringify({ ok: false, error: { code: ErrorCode.internal, message: 'down' } }));
        return void response.end(JSON.stringify({ ok: true, data: homeOf(named) }));
      }
      if (url.pathname.startsWith(apiPaths.session(FAKE_CODE))) {
        cluster.requests.push({ servedBy: nodeId, named: url.searchParams.get(NODE_QUERY_PARAM) ?? undefined });
        if (cluster.ownerNodeId !== nodeId) return void response.writeHead(409).end(JSON.stringify({ ok: false, error: movedBody() }));
        return void response.end(JSON.stringify({ ok: true, data: { servedBy: nodeId } }));
      }
      response.writeHead(404).end('{}');
    });
    const io = new Server(httpServer, { serveClient: false });
    io.use((socket, next) => {
      if (cluster.ownerNodeId === nodeId) return next();
      cluster.refusals.push(socket.handshake.query[NODE_QUERY_PARAM] as string | undefined);
      next(Object.assign(new Error('moved'), { data: movedBody() }));
    });
    io.on('connection', (socket) => {
      const arrival: Arrival = { servedBy: nodeId, named: socket.handshake.query[NODE_QUERY_PARAM] as string | undefined, socket };
      cluster.arrivals.push(arrival);
      for (const entry of waiting) {
        if (!entry.accept(arrival)) continue;
        waiting.delete(entry);
        entry.resolve(arrival);
      }
    });
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    ports.set(nodeId, (httpServer.address() as net.AddressInfo).port);
    routed.set(nodeId, new Set());
    const node: FakeNode = {
      nodeId,
      io,
      isUp: true,
      async kill() {
        node.isUp = false;
        for (const connection of routed.get(nodeId)!) connection.destroy();
        await new Promise<void>((resolve) => {
          io.close(() => resolve());
          httpServer.closeAllConnections();
        });
      },
    };
    cluster.nodes.set(nodeId, node);
  }

  const inbounds = new Set<net.Socket>();
  const router = net.createServer((inbound) => {
    inbounds.add(inbound);
    inbound.on('close', () => inbounds.delete(inbound));
    inbound.on('error', () => inbound.destroy());
    inbound.once('data', (first: Buffer) => {
      const requestLine = first.toString('latin1', 0, Math.max(0, first.indexOf('\r\n')));
      const named = new RegExp(`[?&]${NODE_QUERY_PARAM}=([^&\\s]+)`).exec(requestLine)?.[1];
      if (named !== undefined && cluster.unreachable.has(named)) return void inbound.destroy();
      const isNamedUp = named !== undefined && cluster.nodes.get(named)?.isUp === true;
      const target = isNamedUp ? named : [...cluster.nodes.values()].find((node) => node.isUp)?.nodeId;
      if (target === undefined) return void inbound.destroy();
      const outbound = net.connect(ports.get(target)!, '127.0.0.1');
      routed.get(target)!.add(outbound);
      outbound.on('close', () => {
        routed.get(target)!.delete(outbound);
        inbound.destroy();
      });
      outbound.on('error', () => outbound.destroy());
      inbound.on('close', () => outbound.destroy());
      outbound.write(first);
      inbound.pipe(outbound);
      outbound.pipe(inbound);
    });
  });
  await new Promise<void>((resolve) => router.listen(0, '127.0.0.1', resolve));
  cluster.baseUrl = `http://127.0.0.1:${(router.address() as net.AddressInfo).port}`;
  return cluster;
}
