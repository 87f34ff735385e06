/**
 * An in-process stand-in for the shipped HAProxy config (deploy/haproxy/kotae.cfg), for the cluster
 * tests and `npm run bench:cluster`: a request or WebSocket naming a node (`?node=<id>`) goes to that
 * node while it passes its health check; anything else (no `node`, an unknown or a down node) goes to
 * any up node, round-robin or least connections. Each node's `GET /healthz` is checked every 500 ms:
 * down after 2 failures, up again after 2 successes; when a node is marked down every open
 * connection to it is cut at once (HAProxy's `on-marked-down shutdown-sessions`).
 *
 * What it leaves out of HAProxy: timeouts, queues, retries, TLS, logging. Plain HTTP/1.1 only.
 */
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { NODE_QUERY_PARAM } from '../../shared/contract.ts';

/** A node behind the router. */
export interface RouterNode {
  /** The node's NODE_ID, matched exactly against the `node` query parameter. */
  id: string;
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
}

/** How a request without a usable `node` picks an up node. */
export type BalanceMode = 'roundrobin' | 'leastconn';

export interface NodeRouterOptions {
  nodes: readonly RouterNode[];
  /** Default roundrobin (the shipped config's `any_node` uses leastconn). */
  balance?: BalanceMode;
  /** Between two health checks of a node, in ms (default 500, the config's `fastinter`). */
  checkIntervalMs?: number;
  /** A check not answered within this is a failure, in ms (default 2,000, the config's `timeout check`). */
  checkTimeoutMs?: number;
  /** Failed checks in a row that mark an up node down (default 2). */
  fall?: number;
  /** Passed checks in a row that mark a down node up (default 2). */
  rise?: number;
}

export interface NodeRouter {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  /** Replaces the nodes: a node no longer listed has its connections cut; a new one starts up. */
  setNodes(nodes: readonly RouterNode[]): void;
  /** Whether the node is known and passes its health check. */
  isUp(nodeId: string): boolean;
  /** Resolves once the node is marked up (true) or down (false); rejects after `timeoutMs`. */
  waitForState(nodeId: string, isUp: boolean, timeoutMs: number): Promise<void>;
  /** Calls the listener whenever a node is marked up or down; answers a function that stops it. */
  onStateChange(listener: (nodeId: string, isUp: boolean) => void): () => void;
  /** Open client connections (WebSockets and requests in flight) forwarded to the node. */
  openConnectionsOf(nodeId: string): number;
  /** Stops listening and checking, and cuts every connection. */
  close(): Promise<void>;
}

/** A node's health as the checks see it. */
export interface NodeHealth {
  isUp: boolean;
  /** Checks in a row that disagreed with `isUp`. */
  streak: number;
}

/**
 * The next health after one check, HAProxy's way: `fall` failures in a row mark an up node down,
 * `rise` successes in a row mark a down node up; a check that agrees with the state resets the streak.
 */
export function nextHealth(health: NodeHealth, isCheckPassed: boolean, limits: { fall: number; rise: number }): NodeHealth {
  if (isCheckPassed === health.isUp) return { isUp: health.isUp, streak: 0 };
  const streak = health.streak + 1;
  const limit = health.isUp ? limits.fall : limits.rise;
  return streak >= limit ? { isUp: !health.isUp, streak: 0 } : { isUp: health.isUp, streak };
}

/** Headers that concern one hop only, never forwarded (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

interface NodeState {
  node: RouterNode;
  health: NodeHealth;
  isChecking: boolean;
  /** Client connections forwarded to the node (a WebSocket, or one with a request in flight): cut together when it is marked down. */
  open: Set<Duplex>;
  agent: http.Agent;
  /** Waiters for a change of `health.isUp`. */
  watchers: Set<() => void>;
}

function nodeOfQuery(url: string | undefined): string | null {
  const query = url?.indexOf('?') ?? -1;
  if (!url || query === -1) return null;
  return new URLSearchParams(url.slice(query + 1)).get(NODE_QUERY_PARAM);
}

function forwardedFor(request: http.IncomingMessage): string {
  const previous = request.headers['x-forwarded-for'];
  const own = request.socket.remoteAddress ?? '';
  return previous ? `${String(previous)}, ${own}` : own;
}

/** Listens on 127.0.0.1 on a free port and starts checking the nodes. */
export async function startNodeRouter(options: NodeRouterOptions): Promise<NodeRouter> {
  const checkIntervalMs = options.checkIntervalMs ?? 500;
  const checkTimeoutMs = options.checkTimeoutMs ?? 2_000;
  const limits = { fall: options.fall ?? 2, rise: options.rise ?? 2 };
  const balance = options.balance ?? 'roundrobin';
  const states = new Map<string, NodeState>();
  /** Every client socket the router accepted, for close(). */
  const clientSockets = new Set<net.Socket>();
  const stateListeners = new Set<(nodeId: string, isUp: boolean) => void>();
  let nextIndex = 0;
  let isClosed = false;

  const cutConnections = (state: NodeState): void => {
    for (const connection of state.open) connection.destroy();
    state.open.clear();
    // Idle upstream keep-alive sockets go too: a node marked down may come back as a new process.
    state.agent.destroy();
    state.agent = new http.Agent({ keepAlive: true });
  };

  const setHealth = (state: NodeState, health: NodeHealth): void => {
    const wasUp = state.health.isUp;
    state.health = health;
    if (wasUp === health.isUp) return;
    if (!health.isUp) cutConnections(state);
    for (const wake of state.watchers) wake();
    for (const listener of stateListeners) listener(state.node.id, health.isUp);
  };

  const addNode = (node: RouterNode): void => {
    // A new node starts up, as HAProxy's servers do: it goes down only after `fall` failed checks.
    states.set(node.id, { node, health: { isUp: true, streak: 0 }, isChecking: false, open: new Set(), agent: new http.Agent({ keepAlive: true }), watchers: new Set() });
  };
  for (const node of options.nodes) addNode(node);

  const check = (state: NodeState): void => {
    if (state.isChecking) return;
    state.isChecking = true;
    let isSettled = false;
    const settle = (isPassed: boolean): void => {
      if (isSettled) return;
      isSettled = true;
      state.isChecking = false;
      if (!isClosed && states.get(state.node.id) === state) setHealth(state, nextHealth(state.health, isPassed, limits));
    };
    const request = http.get({ host: state.node.host ?? '127.0.0.1', port: state.node.port, path: '/healthz', agent: false, timeout: checkTimeoutMs }, (response) => {
      response.resume();
      response.once('end', () => settle(response.statusCode === 200));
      response.once('error', () => settle(false));
    });
    request.once('timeout', () => request.destroy(new Error('health check timed out')));
    request.once('error', () => settle(false));
  };
  const checkTimer = setInterval(() => {
    for (const state of states.values()) check(state);
  }, checkIntervalMs);

  /** The named node when it is up; else an up node by the balance mode; null when none is up. */
  const pickNode = (url: string | undefined): NodeState | null => {
    const named = nodeOfQuery(url);
    const namedState = named === null ? undefined : states.get(named);
    if (namedState?.health.isUp) return namedState;
    const up = [...states.values()].filter((state) => state.health.isUp);
    if (up.length === 0) return null;
    if (balance === 'leastconn') {
      const fewest = Math.min(...up.map((state) => state.open.size));
      const least = up.filter((state) => state.open.size === fewest);
      return least[nextIndex++ % least.length] as NodeState;
    }
    return up[nextIndex++ % up.length] as NodeState;
  };

  /** Tracks a forwarded connection under its node until it closes. */
  const track = (state: NodeState, connection: Duplex): void => {
    state.open.add(connection);
    connection.once('close', () => state.open.delete(connection));
  };

  const forwardRequest = (request: http.IncomingMessage, response: http.ServerResponse): void => {
    const state = pickNode(request.url);
    if (!state) {
      response.writeHead(503, { 'Content-Type': 'text/plain' }).end('no node is up');
      return;
    }
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(request.headers)) if (!HOP_BY_HOP.has(name)) headers[name] = value;
    headers['x-forwarded-for'] = forwardedFor(request);
    const upstream = http.request(
      { host: state.node.host ?? '127.0.0.1', port: state.node.port, method: request.method, path: request.url, headers, agent: state.agent },
      (upstreamResponse) => {
        const responseHeaders: http.OutgoingHttpHeaders = {};
        for (const [name, value] of Object.entries(upstreamResponse.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) responseHeaders[name] = value;
        response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.statusMessage, responseHeaders);
        upstreamResponse.pipe(response);
        upstreamResponse.once('error', () => request.socket.destroy());
      },
    );
    // The client's connection counts as the node's while this request is in flight: cutting it
    // cuts a long-polling GET held by the node, as HAProxy's shutdown-sessions does.
    const client = request.socket;
    state.open.add(client);
    response.once('close', () => {
      state.open.delete(client);
      // Closed before it finished: the client went away or was cut; the node's side goes too.
      if (!response.writableFinished) upstream.destroy();
    });
    upstream.once('error', () => {
      state.open.delete(client);
      if (response.headersSent) client.destroy();
      else response.writeHead(502, { 'Content-Type': 'text/plain' }).end('the node did not answer');
    });
    request.pipe(upstream);
  };

  const forwardUpgrade = (request: http.IncomingMessage, client: Duplex, head: Buffer): void => {
    client.on('error', () => client.destroy());
    const state = pickNode(request.url);
    if (!state) {
      client.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = net.connect(state.node.port, state.node.host ?? '127.0.0.1');
    track(state, client);
    upstream.on('error', () => client.destroy());
    upstream.once('close', () => client.destroy());
    client.once('close', () => upstream.destroy());
    const lines = [`${request.method} ${request.url} HTTP/${request.httpVersion}`];
    for (let i = 0; i < request.rawHeaders.length; i += 2) {
      if ((request.rawHeaders[i] as string).toLowerCase() !== 'x-forwarded-for') lines.push(`${request.rawHeaders[i]}: ${request.rawHeaders[i + 1]}`);
    }
    lines.push(`X-Forwarded-For: ${forwardedFor(request)}`);
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length > 0) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  };

  const server = http.createServer(forwardRequest);
  server.on('upgrade', forwardUpgrade);
  server.on('connection', (socket) => {
    clientSockets.add(socket);
    socket.once('close', () => clientSockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  // The first round of checks now, not one interval later.
  for (const state of states.values()) check(state);

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    setNodes(nodes) {
      const wanted = new Map(nodes.map((node) => [node.id, node]));
      for (const [id, state] of states) {
        const node = wanted.get(id);
        if (node && node.port === state.node.port && (node.host ?? '127.0.0.1') === (state.node.host ?? '127.0.0.1')) continue;
        cutConnections(state);
        state.agent.destroy();
        states.delete(id);
        for (const wake of state.watchers) wake();
      }
      for (const node of nodes) if (!states.has(node.id)) addNode(node);
    },
    isUp: (nodeId) => states.get(nodeId)?.health.isUp ?? false,
    waitForState(nodeId, isUp, timeoutMs) {
      return new Promise((resolve, reject) => {
        const state = states.get(nodeId);
        if (!state) return reject(new Error(`the router knows no node ${nodeId}`));
        if (state.health.isUp === isUp) return resolve();
        const timer = setTimeout(() => {
          state.watchers.delete(watch);
          reject(new Error(`node ${nodeId} was not marked ${isUp ? 'up' : 'down'} within ${timeoutMs} ms`));
        }, timeoutMs);
        const watch = (): void => {
          if (states.get(nodeId) === state && state.health.isUp !== isUp) return;
          clearTimeout(timer);
          state.watchers.delete(watch);
          if (states.get(nodeId) === state) resolve();
          else reject(new Error(`node ${nodeId} was removed from the router`));
        };
        state.watchers.add(watch);
      });
    },
    onStateChange(listener) {
      stateListeners.add(listener);
      return () => void stateListeners.delete(listener);
    },
    openConnectionsOf: (nodeId) => states.get(nodeId)?.open.size ?? 0,
    async close() {
      if (isClosed) return;
      isClosed = true;
      clearInterval(checkTimer);
      stateListeners.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const state of states.values()) {
        cutConnections(state);
        state.agent.destroy();
      }
      for (const socket of clientSockets) socket.destroy();
      await closed;
    },
  };
}
