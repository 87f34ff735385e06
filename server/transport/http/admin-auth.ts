/**
 * The organizer's credentials on HTTP: the admin login cookie (HttpOnly, SameSite=Strict) and its CSRF
 * token, and the organizer key of one session. Reads accept either; every state-changing admin request
 * needs the cookie, the CSRF header and, when the browser sends one, an Origin of this host.
 */
import type { Request, RequestHandler, Response } from 'express';
import { CSRF_TOKEN_HEADER, ErrorCode, ORGANIZER_KEY_HEADER } from '../../../shared/contract.ts';
import { isCsrfTokenValid, type AdminLogins } from '../../admin/admin-logins.ts';
import type { RoomRegistry } from '../../live/room-registry.ts';
import type { SessionRoom } from '../../live/session-room.ts';
import type { AdminLogin } from '../../storage/storage.ts';
import { sendError } from './respond.ts';

export const ADMIN_COOKIE = 'kotae_admin';

/** The value of one cookie of the request. */
export function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/** Sets the login cookie; it lives as long as the login. */
export function setLoginCookie(req: Request, res: Response, token: string, maxAgeMs: number): void {
  res.cookie(ADMIN_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/', maxAge: maxAgeMs });
}

export function clearLoginCookie(req: Request, res: Response): void {
  res.clearCookie(ADMIN_COOKIE, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
}

/** Whether the Origin a browser sent, if any, is this server. */
export function isSameOrigin(req: Request): boolean {
  const origin = req.get('origin');
  if (!origin) return true;
  try {
    return new URL(origin).host === req.get('host');
  } catch {
    return false;
  }
}

export interface AdminGate {
  /** The request's unexpired login, if any. */
  loginOf(req: Request): Promise<AdminLogin | undefined>;
  /** Lets a request through only with a login cookie, the login's CSRF header and a same-origin Origin. */
  requireAdminChange: RequestHandler;
  /** Lets a read through only with a login cookie. */
  requireAdminRead: RequestHandler;
  /** Whether a read of this session's results is allowed: its organizer key, or an admin login. */
  isOrganizer(req: Request, room: SessionRoom): Promise<boolean>;
}

export function createAdminGate(logins: AdminLogins, rooms: RoomRegistry): AdminGate {
  const loginOf = (req: Request): Promise<AdminLogin | undefined> => logins.find(cookieOf(req, ADMIN_COOKIE));
  return {
    loginOf,
    async requireAdminRead(req, res, next) {
      if (!(await loginOf(req))) return sendError(res, { code: ErrorCode.adminRequired, message: '管理者としてログインしてください' });
      next();
    },
    async requireAdminChange(req, res, next) {
      const login = await loginOf(req);
      if (!login) return sendError(res, { code: ErrorCode.adminRequired, message: '管理者としてログインしてください' });
      if (!isSameOrigin(req) || !isCsrfTokenValid(login, req.get(CSRF_TOKEN_HEADER))) {
        return sendError(res, { code: ErrorCode.csrfRejected, message: 'this request needs the login page’s CSRF token' });
      }
      next();
    },
    async isOrganizer(req, room) {
      return rooms.isOrganizer(room, req.get(ORGANIZER_KEY_HEADER) ?? '') || (await loginOf(req)) !== undefined;
    },
  };
}
