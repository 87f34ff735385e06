/** The composition root: builds every part of a kotae server from its dependencies. */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type ErrorRequestHandler } from 'express';
import { ErrorCode, type SessionHome } from '../shared/contract.ts';
import { AdminLogins } from './admin/admin-logins.ts';
import { openAdminPassword, type AdminPassword } from './admin/admin-password.ts';
import type { Config } from './config.ts';
import { CourseCatalog } from './course/course-catalog.ts';
import { openOwnership } from './cluster/open-ownership.ts';
import { RoomRegistry } from './live/room-registry.ts';
import type { Clock } from './live/session-room.ts';
import { isOwnAddress, publicBaseUrl, sessionUrls, type SessionUrls } from './public-urls.ts';
import { openStorage } from './storage/open-storage.ts';
import { NO_DIAGNOSTICS, type Diagnostics } from './diagnostics.ts';
import { silentLogger, type Logger } from './logger.ts';
import { createAdminGate } from './transport/http/admin-auth.ts';
import { createAdminRouter } from './transport/http/admin.router.ts';
import { createHandoutRouter } from './transport/http/handout.router.ts';
import { createPagesRouter } from './transport/http/pages.router.ts';
import { requireJsonWrites, sendData, sendError } from './transport/http/respond.ts';
import { securityHeaders } from './transport/http/security-headers.ts';
import { createResultsRouter } from './transport/http/results.router.ts';
import { createSessionsRouter } from './transport/http/sessions.router.ts';
import { createRoomBroadcaster } from './transport/socket/room-broadcaster.ts';
import { createSocketServer, serveRooms } from './transport/socket/socket-server.ts';
import { CommandGate } from './transport/socket/command.ts';
import { createRateLimits } from './transport/rate-limits.ts';
import type { KotaeServer } from './transport/socket/socket-types.ts';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_CLIENT_DIR = path.join(PROJECT_ROOT, 'dist', 'client');

export interface AppDeps {
  config: Config;
  clock?: Clock;
  /** Default: silent, for tests; main.ts passes the real one. */
  logger?: Logger;
  /** Which addresses are this machine's own, for the venue check; default: its interfaces. */
  isOwnAddress?: (address: string) => boolean;
  /** Where the built browser pages are; default dist/client. */
  clientDir?: string;
  /** The benchmark's view inside the server; default: none. */
  diagnostics?: Diagnostics;
}

export interface App {
  httpServer: http.Server;
  io: KotaeServer;
  rooms: RoomRegistry;
  catalog: CourseCatalog;
  /** The admin password; `generated` holds it in clear on the start that created it, to print once. */
  adminPassword: AdminPassword;
  /** Listens on config.port (0: any free port) and resolves with the port taken. */
  listen(): Promise<number>;
  /** This node's name and address, as `home` gives them. */
  readonly self: SessionHome;
  /**
   * Calls the listener once if the node stops serving on its own (in a cluster, when its heartbeat
   * could not be renewed): its rooms are dropped and their clients sent elsewhere; the process should exit.
   */
  onUnhealthy(listener: () => void): void;
  /** The URLs of a session, on the port actually taken. */
  urlsOf(code: string, keys?: { presenterKey: string; organizerKey: string }): SessionUrls;
  close(): Promise<void>;
}

/** Builds the app on the storage the config names (migrating it first); nothing listens yet. */
export async function createApp(deps: AppDeps): Promise<App> {
  const { config } = deps;
  const clock = deps.clock ?? { now: () => Date.now() };
  const catalog = CourseCatalog.fromFolder(config.coursesDir);
  const logger = deps.logger ?? silentLogger();
  let port = config.port;
  const baseUrl = (): string => publicBaseUrl(config.publicUrl, port, config.tls !== undefined);
  const urlsOf = (code: string, keys?: { presenterKey: string; organizerKey: string }): SessionUrls => sessionUrls(baseUrl(), code, keys);
  const joinUrlOf = (code: string): string => urlsOf(code).join;

  let connectedSocketCount = (): number => 0;
  const ownership = await openOwnership(config, { url: baseUrl, loadOf: () => connectedSocketCount(), logger });
  const storage = await openStorage(config, { logger, beforeCommit: ownership.fenceCommit }).catch(async (error: unknown) => {
    await ownership.stop().catch(() => undefined);
    throw error;
  });
  const adminPassword = openAdminPassword(config.dataDir, config.adminPassword);

  const web = express();
  // HTTPS when a certificate is given: phones then have a secure context (Wake Lock, clipboard).
  const httpServer = config.tls
    ? https.createServer({ cert: fs.readFileSync(config.tls.certFile), key: fs.readFileSync(config.tls.keyFile) }, web)
    : http.createServer(web);
  const io = createSocketServer(httpServer);
  const diagnostics = deps.diagnostics ?? NO_DIAGNOSTICS;
  const broadcaster = createRoomBroadcaster(io, joinUrlOf, { diagnostics });
  connectedSocketCount = () => io.engine.clientsCount;
  const rooms = new RoomRegistry({
    storage,
    catalog,
    clock,
    notifier: broadcaster,
    logger,
    ownership,
    connectedSockets: broadcaster.connectedSockets,
    unloadDelays: { endedMs: config.endedSessionUnloadSeconds * 1000, runningMs: config.idleSessionUnloadMinutes * 60_000 },
  });
  diagnostics.countRoomsWith(() => rooms.heldCount);
  ownership.onSessionsLost((sessionIds) => rooms.dropMoved(sessionIds));
  const unhealthyListeners: Array<() => void> = [];
  ownership.onUnhealthy(() => {
    rooms.dropAllMoved();
    for (const listener of unhealthyListeners) listener();
  });
  const gate = new CommandGate(() => ownership.isServing());
  const limits = createRateLimits({ joinsPerMinutePerAddress: config.joinsPerMinutePerAddress });
  serveRooms(io, { rooms, broadcaster, gate, limits, trustProxy: config.trustProxy, logger, joinUrlOf, diagnostics });
  const logins = new AdminLogins(adminPassword, storage, clock);
  const adminGate = createAdminGate(logins, rooms);
  const sweepRetention = (): void => {
    rooms.deleteExpired().then(
      (count) => count > 0 && logger.info({ deleted: count }, 'sessions past their retention period deleted'),
      (error: unknown) => logger.error({ err: error }, 'the retention sweep failed'),
    );
  };
  sweepRetention();
  const retentionTimer = setInterval(sweepRetention, config.retentionSweepMinutes * 60_000);
  retentionTimer.unref();
  // Checked as often as the shorter delay: a room leaves memory within twice its delay.
  const unloadTimer = setInterval(
    () => void rooms.unloadIdleRooms().catch((error: unknown) => logger.error({ err: error }, 'unloading idle sessions failed')),
    Math.min(config.endedSessionUnloadSeconds * 1000, config.idleSessionUnloadMinutes * 60_000),
  );
  unloadTimer.unref();

  web.disable('x-powered-by');
  if (config.trustProxy !== undefined) web.set('trust proxy', config.trustProxy);
  web.use(securityHeaders());
  // The router's health check: 503 once the node stops serving (unhealthy, draining or closing).
  web.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store');
    if (ownership.isServing()) sendData(res, { nodeId: ownership.self.nodeId, serving: true });
    else sendError(res, { code: ErrorCode.shuttingDown, message: 'this node does not serve sessions now' });
  });
  web.use('/api', requireJsonWrites);
  web.use(express.json({ limit: '16kb' }));
  web.use(createAdminRouter({ rooms, catalog, logins, gate: adminGate, limits, urlsOf }));
  web.use(createSessionsRouter(rooms, { urlsOf, limits, requireAdminChange: adminGate.requireAdminChange, isOwnAddress: deps.isOwnAddress ?? isOwnAddress }));
  web.use(createResultsRouter({ rooms, gate: adminGate, limits, clock, joinUrlOf, connectedParticipants: broadcaster.connectedParticipants }));
  web.use(createHandoutRouter(catalog, deps.clientDir ?? DEFAULT_CLIENT_DIR));
  web.use(createPagesRouter(deps.clientDir ?? DEFAULT_CLIENT_DIR, { rooms, limits }));
  web.use('/api', (_req, res) => sendError(res, { code: ErrorCode.invalidPayload, message: 'no such endpoint' }));
  // A client's mistake is answered and not logged; only the server's own failures are.
  const handleError: ErrorRequestHandler = (error: { type?: string; status?: number }, _req, res, _next) => {
    if (error.type === 'entity.too.large' || error.status === 413) {
      return sendError(res, { code: ErrorCode.payloadTooLarge, message: 'the body is larger than 16 KB' });
    }
    if (error.type === 'entity.parse.failed' || (error.status !== undefined && error.status >= 400 && error.status < 500)) {
      return sendError(res, { code: ErrorCode.invalidPayload, message: 'the body is not valid JSON' });
    }
    logger.error({ err: error }, 'a request failed');
    sendError(res, { code: ErrorCode.internal, message: 'internal error' });
  };
  web.use(handleError);

  return {
    httpServer,
    io,
    rooms,
    catalog,
    adminPassword,
    urlsOf,
    get self() {
      return ownership.self;
    },
    onUnhealthy(listener) {
      unhealthyListeners.push(listener);
    },
    listen() {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => {
          const address = httpServer.address();
          port = typeof address === 'object' && address ? address.port : config.port;
          resolve(port);
        });
      });
    },
    /**
     * Stops taking commands, lets those under way commit and answer, then closes the sockets and the
     * database. In a cluster it first stops taking sessions, and hands its sessions back before the
     * sockets close, so their clients find the new owner at once.
     */
    async close() {
      clearInterval(retentionTimer);
      clearInterval(unloadTimer);
      await ownership.drain().catch((error: unknown) => logger.error({ err: error }, 'draining the node failed'));
      await gate.close();
      if (ownership.handsSessionsBack) await rooms.handBackAll();
      await ownership.stop().catch((error: unknown) => logger.error({ err: error }, 'leaving the cluster failed'));
      broadcaster.close();
      await io.close();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await storage.close();
      diagnostics.close();
    },
  };
}
