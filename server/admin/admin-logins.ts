/**
 * Organizer logins: a correct admin password gives a random login token (the HttpOnly cookie, stored
 * only as a hash, with an expiry) and a CSRF token that every state-changing request must carry in a
 * header. Wrong passwords are limited to a few a minute.
 */
import { timingSafeEqual } from 'node:crypto';
import { ErrorCode, type Ack } from '../../shared/contract.ts';
import type { Clock } from '../live/session-room.ts';
import { hashSecret, newSecret } from '../live/secrets.ts';
import type { AdminLogin, Storage } from '../storage/storage.ts';
import type { AdminPassword } from './admin-password.ts';

/** How long a login lasts: a seminar day. */
export const LOGIN_TTL_MS = 12 * 60 * 60 * 1000;
/** Wrong passwords allowed per minute, over all clients (a venue shares one address anyway). */
const FAILURES_PER_MINUTE = 10;

export interface NewLogin {
  token: string;
  csrfToken: string;
  expiresAt: number;
}

export class AdminLogins {
  private failures: number[] = [];

  constructor(
    private readonly password: AdminPassword,
    private readonly storage: Storage,
    private readonly clock: Clock,
  ) {}

  async login(password: string): Promise<Ack<NewLogin>> {
    const now = this.clock.now();
    this.failures = this.failures.filter((at) => at > now - 60_000);
    if (this.failures.length >= FAILURES_PER_MINUTE) {
      return { ok: false, error: { code: ErrorCode.tooManyAttempts, message: 'パスワードの誤りが続いたため、1分ほど待ってからお試しください' } };
    }
    if (!(await this.password.isValid(password))) {
      this.failures.push(now);
      return { ok: false, error: { code: ErrorCode.unauthorized, message: 'パスワードが違います' } };
    }
    const login: NewLogin = { token: newSecret(), csrfToken: newSecret(), expiresAt: now + LOGIN_TTL_MS };
    await this.storage.commit([
      { kind: 'expired-admin-logins-deleted', now },
      { kind: 'admin-login-inserted', login: { tokenHash: hashSecret(login.token), csrfToken: login.csrfToken, expiresAt: login.expiresAt } },
    ]);
    return { ok: true, data: login };
  }

  /** The unexpired login a cookie's token names, if any. */
  async find(token: string | undefined): Promise<AdminLogin | undefined> {
    if (!token) return undefined;
    const login = await this.storage.adminLogins.find(hashSecret(token));
    return login && login.expiresAt > this.clock.now() ? login : undefined;
  }

  async logout(login: AdminLogin): Promise<void> {
    await this.storage.commit([{ kind: 'admin-login-deleted', tokenHash: login.tokenHash }]);
  }
}

/** Whether a request's CSRF header matches its login's token. */
export function isCsrfTokenValid(login: AdminLogin, header: string | undefined): boolean {
  if (!header) return false;
  const actual = Buffer.from(header);
  const expected = Buffer.from(login.csrfToken);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
