/**
 * Following a session's owner (cluster mode): which node runs the session, asked of
 * `GET /api/sessions/:code/home`, and a socket that goes wherever the session goes. Plain fetch and
 * socket.io-client, no DOM: the pages, the integration tests and the bench's simulated phones share
 * exactly this logic. On a single node `home` names that node and nothing else changes.
 */
import type { Socket } from 'socket.io-client';
import { apiPaths, ErrorCode, NODE_QUERY_PARAM, type Ack, type ErrorBody, type SessionHome } from '../../shared/contract.ts';

/** Where one session's socket and requests go: the node that runs it, as far as this client knows. */
export class SessionRoute {
  /** The node named with `node=` on the session's socket and requests; undefined until known. */
  nodeId: string | undefined;
  private readonly baseUrl: string;
  private readonly homeTimeoutMs: number;

  /**
   * @param options.baseUrl the server's origin: '' (default) for the page's own, `http://host:port` in Node.
   * @param options.homeTimeoutMs how long an answer of `home` is waited for; default 5000 ms.
   */
  constructor(
    readonly code: string,
    options: { baseUrl?: string; homeTimeoutMs?: number } = {},
  ) {
    this.baseUrl = options.baseUrl ?? '';
    this.homeTimeoutMs = options.homeTimeoutMs ?? 5000;
  }

  /** `path`, one of this session's requests, on the server, naming the node when it is known. */
  urlOf(path: string): string {
    const url = `${this.baseUrl}${path}`;
    if (this.nodeId === undefined) return url;
    return `${url}${url.includes('?') ? '&' : '?'}${NODE_QUERY_PARAM}=${encodeURIComponent(this.nodeId)}`;
  }

  /**
   * Asks which node runs the session. Null when no usable answer came (network, timeout, a server
   * without the route): the caller goes on without a node, which a single node accepts.
   */
  async askHome(signal?: AbortSignal): Promise<SessionHome | null> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.homeTimeoutMs);
    const abort = (): void => controller.abort();
    signal?.addEventListener('abort', abort, { once: true });
    try {
      const response = await fetch(`${this.baseUrl}${apiPaths.home(this.code)}`, { signal: controller.signal });
      const answer = (await response.json()) as Ack<SessionHome>;
      return answer.ok && typeof answer.data?.nodeId === 'string' ? answer.data : null;
    } catch {
      return null;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
    }
  }
}

/** How following the owner is timed; every value in milliseconds. */
export interface FollowOwnerOptions {
  /** Longest random wait before reconnecting after a move (`session:moved` or a moved refusal). Default 1000. */
  moveJitterMs?: number;
  /** Moves in a row that never got connected double that wait, up to this. Default 4000. */
  maxMoveJitterMs?: number;
  /** While the connection is down, `home` is asked again after a random wait from pollMinMs to pollMaxMs. Default 1000. */
  pollMinMs?: number;
  /** Default 2000. */
  pollMaxMs?: number;
  /** Longest random wait before reconnecting when `home` names another node while down. Default 500. */
  switchJitterMs?: number;
  /** A number in [0, 1) for each random wait. Default Math.random. */
  random?: () => number;
}

const DEFAULTS: Required<FollowOwnerOptions> = {
  moveJitterMs: 1000,
  maxMoveJitterMs: 4000,
  pollMinMs: 1000,
  pollMaxMs: 2000,
  switchJitterMs: 500,
  random: Math.random,
};

/** Disconnect reasons of a connection that dropped (a node killed or unreachable), not of one closed on purpose. */
const TRANSPORT_REASONS: ReadonlySet<string> = new Set(['transport close', 'transport error', 'ping timeout']);

/** The error body the server put on a refused handshake; undefined for a connection that failed on the way. */
export function refusalOf(error: Error): Partial<ErrorBody> | undefined {
  return (error as Error & { data?: Partial<ErrorBody> }).data;
}

/**
 * Keeps `socket` (made with `autoConnect: false`) connected to the node that runs `route`'s session,
 * and connects it: after asking `home` first (unless the route names the node already), so the first
 * connection already names the node.
 * - `session:moved`, or a handshake refused as moved: to the owner named, else where `home` says,
 *   after a random wait (a whole room reconnecting at once would hit the new owner together). A
 *   refusal naming the node already asked for means the router could not reach it: `home` is asked
 *   again every 1 to 2 s until it names another node.
 * - A dropped connection: `home` is asked again every 1 to 2 s until connected; when it names another
 *   node the socket goes there at once instead of waiting for Socket.IO's back-off.
 * - `socket.disconnect()` / `close()` ends all of it; a `connect()` after that follows again.
 */
export function followOwner(socket: Socket, route: SessionRoute, options: FollowOwnerOptions = {}): void {
  const settings = { ...DEFAULTS, ...options };
  /** Changes whenever what was under way is dropped: async work started before it ends silently. */
  let generation = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  let isPolling = false;
  let asking: AbortController | undefined;
  /** Moves since the socket was last connected. */
  let movesInARow = 0;

  const syncQuery = (): void => {
    const query: Record<string, string> = { ...(socket.io.opts.query as Record<string, string> | undefined) };
    if (route.nodeId === undefined) delete query[NODE_QUERY_PARAM];
    else query[NODE_QUERY_PARAM] = route.nodeId;
    socket.io.opts.query = query;
  };
  const askHome = async (): Promise<SessionHome | null> => {
    asking = new AbortController();
    return route.askHome(asking.signal);
  };
  const dropPending = (): number => {
    clearTimeout(reconnectTimer);
    clearTimeout(pollTimer);
    reconnectTimer = pollTimer = undefined;
    isPolling = false;
    asking?.abort();
    asking = undefined;
    return ++generation;
  };

  // The page's own disconnect() (close() calls it) must also stop a reconnect waiting for its jitter
  // and a `home` under way, or they would open the socket again; Socket.IO has no event for it.
  const disconnect = socket.disconnect.bind(socket);
  socket.disconnect = () => {
    dropPending();
    return disconnect();
  };
  // Every connection names the node the route holds then: the page's own connect() (back from a
  // locked screen), the ones below, and Socket.IO's own retries.
  const connect = socket.connect.bind(socket);
  socket.connect = () => {
    syncQuery();
    return connect();
  };
  socket.io.on('reconnect_attempt', syncQuery);
  /** Connects now: disconnect() first cancels a pending Socket.IO retry. */
  const reconnect = (): void => {
    reconnectTimer = undefined;
    disconnect();
    socket.connect();
  };
  const reconnectWithin = (maxWaitMs: number): void => {
    reconnectTimer = setTimeout(reconnect, settings.random() * maxWaitMs);
  };

  /**
   * Refused by a node that names as owner the very node this socket asked for: the router could not
   * reach that node (it is down, and not yet dead to the cluster), so nothing is gained by trying it
   * again before `home` has had time to change. Asks `home` after a poll interval, then goes where it says.
   */
  const awaitNewOwner = (): void => {
    pollTimer = setTimeout(
      () => {
        pollTimer = undefined;
        const started = generation;
        void askHome().then((home) => {
          if (started !== generation) return;
          if (home) route.nodeId = home.nodeId;
          reconnectWithin(settings.switchJitterMs);
        });
      },
      settings.pollMinMs + settings.random() * (settings.pollMaxMs - settings.pollMinMs),
    );
  };

  const followMove = async (owner: SessionHome | undefined): Promise<void> => {
    const started = dropPending();
    if (owner && owner.nodeId === route.nodeId) return awaitNewOwner();
    movesInARow += 1;
    const home = owner ?? (await askHome());
    if (started !== generation) return;
    if (home) route.nodeId = home.nodeId;
    reconnectWithin(Math.min(settings.moveJitterMs * 2 ** (movesInARow - 1), settings.maxMoveJitterMs));
  };

  const pollHome = async (): Promise<void> => {
    pollTimer = undefined;
    if (socket.connected || !socket.active) return;
    const started = generation;
    isPolling = true;
    const home = await askHome();
    if (started !== generation) return;
    isPolling = false;
    if (socket.connected || !socket.active) return;
    if (home && home.nodeId !== route.nodeId) {
      route.nodeId = home.nodeId;
      reconnectWithin(settings.switchJitterMs);
    } else schedulePoll();
  };
  const schedulePoll = (): void => {
    pollTimer = setTimeout(() => void pollHome(), settings.pollMinMs + settings.random() * (settings.pollMaxMs - settings.pollMinMs));
  };
  /** While Socket.IO retries a dropped connection (the socket is still active), one poll at a time. */
  const startPolling = (): void => {
    if (socket.connected || !socket.active || pollTimer || isPolling || reconnectTimer) return;
    schedulePoll();
  };

  socket.on('connect', () => {
    dropPending();
    movesInARow = 0;
  });
  socket.on('session:moved', (moved: { owner?: SessionHome }) => void followMove(moved.owner));
  socket.on('disconnect', (reason) => {
    if (TRANSPORT_REASONS.has(reason)) startPolling();
  });
  socket.on('connect_error', (error) => {
    const refusal = refusalOf(error);
    if (refusal?.code === ErrorCode.moved) void followMove(refusal.owner);
    else if (!refusal) startPolling();
  });

  // A route that already names the node (the join page carries it) connects at once.
  if (route.nodeId !== undefined) return void socket.connect();
  const started = generation;
  void askHome().then((home) => {
    if (started !== generation) return;
    asking = undefined;
    if (home) route.nodeId = home.nodeId;
    socket.connect();
  });
}
