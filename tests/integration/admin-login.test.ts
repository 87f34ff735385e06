import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CSRF_TOKEN_HEADER, type AdminSessionRow } from '../../shared/contract.ts';
import { openSql } from '../support/sql.ts';
import { createSession, loginAsAdmin, startTestServer, TEST_ADMIN_PASSWORD, type TestServer } from '../support/test-app.ts';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

function post(path: string, headers: Record<string, string>, body: unknown = { course: 'sample' }): Promise<Response> {
  return fetch(`${server.baseUrl}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

describe('the admin login', () => {
  it('sets an HttpOnly, SameSite=Strict cookie and gives the CSRF token', async () => {
    const response = await post('/api/admin/login', {}, { password: TEST_ADMIN_PASSWORD });
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^kotae_admin=[\w-]{32};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Max-Age=43200');
    expect(((await response.json()) as { data: { csrfToken: string } }).data.csrfToken).toHaveLength(32);
  });

  it('refuses a wrong password, and after ten a minute refuses even the right one for a while', async () => {
    const wrong = await post('/api/admin/login', {}, { password: 'not-the-password' });
    expect([wrong.status, await errorCode(wrong)]).toEqual([401, 'unauthorized']);
    for (let attempt = 1; attempt < 10; attempt += 1) await post('/api/admin/login', {}, { password: `wrong-${attempt}` });
    const limited = await post('/api/admin/login', {}, { password: TEST_ADMIN_PASSWORD });
    expect([limited.status, await errorCode(limited)]).toEqual([429, 'too_many_attempts']);
  });

  it('keeps the login token only as a hash', async () => {
    const admin = await loginAsAdmin(server.baseUrl);
    const token = admin.cookie.split('=')[1] ?? '';
    const sql = openSql(server.dataDir);
    const rows = sql.prepare('SELECT token_hash FROM admin_logins').all() as Array<{ token_hash: string }>;
    sql.close();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]?.token_hash).not.toContain(token);
  });
});

describe('creating a session needs the admin credential', () => {
  it('refuses without a login, without the CSRF header, with a wrong one, or from another origin', async () => {
    const admin = await loginAsAdmin(server.baseUrl);
    const anonymous = await post('/api/sessions', {});
    expect([anonymous.status, await errorCode(anonymous)]).toEqual([401, 'admin_required']);
    const noCsrf = await post('/api/sessions', { Cookie: admin.cookie });
    expect([noCsrf.status, await errorCode(noCsrf)]).toEqual([403, 'csrf_rejected']);
    const wrongCsrf = await post('/api/sessions', { Cookie: admin.cookie, [CSRF_TOKEN_HEADER]: 'x'.repeat(32) });
    expect([wrongCsrf.status, await errorCode(wrongCsrf)]).toEqual([403, 'csrf_rejected']);
    const crossSite = await post('/api/sessions', { ...admin.headers, Origin: 'http://evil.example' });
    expect([crossSite.status, await errorCode(crossSite)]).toEqual([403, 'csrf_rejected']);
    const good = await post('/api/sessions', admin.headers);
    expect(good.status).toBe(201);
  });

  it('stops accepting the cookie after logout', async () => {
    const admin = await loginAsAdmin(server.baseUrl);
    expect((await post('/api/admin/logout', admin.headers, {})).status).toBe(200);
    const after = await post('/api/sessions', admin.headers);
    expect([after.status, await errorCode(after)]).toEqual([401, 'admin_required']);
  });
});

describe('the all-sessions list', () => {
  it('lists each session with its settings, state and counts, newest first, only for the organizer', async () => {
    const first = await createSession(server.baseUrl, { course: 'sample', title: '1回目', settings: { clientName: '株式会社A', groups: ['1班'] } });
    const second = await createSession(server.baseUrl, { course: 'sample', title: '2回目', settings: { isRehearsal: true } });
    await fetch(`${server.baseUrl}/api/sessions/${first.session.code}/participants`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ group: '1班' }) });
    expect((await fetch(`${server.baseUrl}/api/admin/sessions`)).status).toBe(401);
    const admin = await loginAsAdmin(server.baseUrl);
    const list = (await (await fetch(`${server.baseUrl}/api/admin/sessions`, { headers: { Cookie: admin.cookie } })).json()) as { data: AdminSessionRow[] };
    expect(list.data.map((row) => [row.session.code, row.session.title, row.session.state, row.participants, row.settings.clientName, row.session.isRehearsal])).toEqual([
      [second.session.code, '2回目', 'lobby', 0, '', true],
      [first.session.code, '1回目', 'lobby', 1, '株式会社A', false],
    ]);
    expect(list.data[1]?.settings.groups).toEqual(['1班']);
    expect(list.data[1]?.createdAt).toMatch(/\+09:00$/);
  });

  it('refuses settings that do not fit and creates nothing', async () => {
    const admin = await loginAsAdmin(server.baseUrl);
    for (const settings of [{ startsAt: '2026-12-01 14:00' }, { retentionDays: 0 }, { participation: 'secret' }, { unknown: 1 }]) {
      const response = await post('/api/sessions', admin.headers, { course: 'sample', settings });
      expect([response.status, await errorCode(response)]).toEqual([400, 'invalid_payload']);
    }
    expect((await server.app.rooms.list())).toHaveLength(0);
  });
});
