import type { AdminLogin, AdminLoginRepository } from '../storage.ts';
import type { Queryable } from './database.ts';

/** Organizer logins of the admin page, on PostgreSQL. */
export class PostgresAdminLoginRepository implements AdminLoginRepository {
  constructor(private readonly reader: Queryable) {}

  async find(tokenHash: string): Promise<AdminLogin | undefined> {
    const { rows } = await this.reader.query<AdminLogin>(
      'SELECT token_hash AS "tokenHash", csrf_token AS "csrfToken", expires_at AS "expiresAt" FROM admin_logins WHERE token_hash = $1',
      [tokenHash],
    );
    return rows[0];
  }

  async insert(db: Queryable, login: AdminLogin): Promise<void> {
    await db.query('INSERT INTO admin_logins (token_hash, csrf_token, expires_at) VALUES ($1, $2, $3)', [login.tokenHash, login.csrfToken, login.expiresAt]);
  }

  async delete(db: Queryable, tokenHash: string): Promise<void> {
    await db.query('DELETE FROM admin_logins WHERE token_hash = $1', [tokenHash]);
  }

  async deleteExpired(db: Queryable, now: number): Promise<void> {
    await db.query('DELETE FROM admin_logins WHERE expires_at <= $1', [now]);
  }
}
