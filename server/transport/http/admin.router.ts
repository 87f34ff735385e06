/** The all-sessions page's API: login, the list of sessions, ending and deleting a session, a new presenter link. */
import { Router } from 'express';
import { ErrorCode, type AdminStatus, type PresenterLink } from '../../../shared/contract.ts';
import { AdminLoginRequest } from '../../../shared/protocol.ts';
import { LOGIN_TTL_MS, type AdminLogins } from '../../admin/admin-logins.ts';
import type { CourseCatalog } from '../../course/course-catalog.ts';
import { adminSessionRow, courseChoices } from '../../live/projections.ts';
import type { RoomRegistry } from '../../live/room-registry.ts';
import type { SessionUrls } from '../../public-urls.ts';
import type { RateLimits } from '../rate-limits.ts';
import { clearLoginCookie, isSameOrigin, setLoginCookie, type AdminGate } from './admin-auth.ts';
import { findRoom, parseBody, sendAck, sendData, sendError } from './respond.ts';

export interface AdminRouterDeps {
  rooms: RoomRegistry;
  catalog: CourseCatalog;
  logins: AdminLogins;
  gate: AdminGate;
  limits: RateLimits;
  urlsOf(code: string, keys?: { presenterKey: string; organizerKey: string }): SessionUrls;
}

export function createAdminRouter({ rooms, catalog, logins, gate, limits, urlsOf }: AdminRouterDeps): Router {
  const router = Router();

  router.post('/api/admin/login', async (req, res) => {
    const body = parseBody(res, AdminLoginRequest, req.body);
    if (!body) return;
    if (!isSameOrigin(req)) {
      return sendError(res, { code: ErrorCode.csrfRejected, message: 'log in from this server’s own page' });
    }
    const login = await logins.login(body.password);
    if (!login.ok) return sendError(res, login.error);
    setLoginCookie(req, res, login.data.token, LOGIN_TTL_MS);
    const status: AdminStatus = { isLoggedIn: true, csrfToken: login.data.csrfToken };
    sendData(res, status);
  });

  router.get('/api/admin/me', async (req, res) => {
    const login = await gate.loginOf(req);
    const status: AdminStatus = { isLoggedIn: login !== undefined, csrfToken: login?.csrfToken ?? null };
    res.set('Cache-Control', 'no-store');
    sendData(res, status);
  });

  router.post('/api/admin/logout', gate.requireAdminChange, async (req, res) => {
    const login = await gate.loginOf(req);
    if (login) await logins.logout(login);
    clearLoginCookie(req, res);
    sendData(res, null);
  });

  router.get('/api/admin/courses', gate.requireAdminRead, (_req, res) => sendData(res, courseChoices(catalog)));

  router.get('/api/admin/sessions', gate.requireAdminRead, async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    sendData(res, (await rooms.list()).map((listing) => adminSessionRow(listing, catalog)));
  });

  router.post('/api/admin/sessions/:code/end', gate.requireAdminChange, async (req, res) => {
    const room = await findRoom(rooms, req, res, limits);
    if (room) sendAck(res, await room.end());
  });

  router.delete('/api/admin/sessions/:code', gate.requireAdminChange, async (req, res) => {
    const room = await findRoom(rooms, req, res, limits);
    if (room) sendAck(res, await rooms.delete(room));
  });

  router.post('/api/admin/sessions/:code/presenter-link', gate.requireAdminChange, async (req, res) => {
    const room = await findRoom(rooms, req, res, limits);
    if (!room) return;
    const reissued = await rooms.reissuePresenterKey(room);
    if (!reissued.ok) return sendError(res, reissued.error);
    const link: PresenterLink = { presenter: `${urlsOf(room.session.code).presenter}#key=${reissued.data}` };
    sendData(res, link);
  });

  return router;
}
