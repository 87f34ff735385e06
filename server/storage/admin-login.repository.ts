import type { Db } from './database.ts';
import type { AdminLogin, AdminLoginRepository } from './storage.ts';

interface AdminLoginRow {
  token_hash: string;
  csrf_token: string;
  expires_at: number;
}

/** Organizer logins of the admin page. */
export class SqliteAdminLoginRepository implements AdminLoginRepository {
  private readonly insertStatement;
  private readonly findStatement;
  private readonly deleteStatement;
  private readonly deleteExpiredStatement;

  constructor(db: Db) {
    this.insertStatement = db.prepare('INSERT INTO admin_logins (token_hash, csrf_token, expires_at) VALUES (?, ?, ?)');
    this.findStatement = db.prepare<[string], AdminLoginRow>('SELECT * FROM admin_logins WHERE token_hash = ?');
    this.deleteStatement = db.prepare('DELETE FROM admin_logins WHERE token_hash = ?');
    this.deleteExpiredStatement = db.prepare('DELETE FROM admin_logins WHERE expires_at <= ?');
  }

  insert(login: AdminLogin): void {
    this.insertStatement.run(login.tokenHash, login.csrfToken, login.expiresAt);
  }

  async find(tokenHash: string): Promise<AdminLogin | undefined> {
    const row = this.findStatement.get(tokenHash);
    return row && { tokenHash: row.token_hash, csrfToken: row.csrf_token, expiresAt: row.expires_at };
  }

  delete(tokenHash: string): void {
    this.deleteStatement.run(tokenHash);
  }

  deleteExpired(now: number): void {
    this.deleteExpiredStatement.run(now);
  }
}
