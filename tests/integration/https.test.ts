import { execFileSync } from 'node:child_process';
import https from 'node:https';
import path from 'node:path';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../server/app.ts';
import { CSRF_TOKEN_HEADER, type ParticipantSnapshot } from '../../shared/contract.ts';
import { FIXTURE_COURSES_DIR, makeDataDir, TEST_ADMIN_PASSWORD } from '../support/test-app.ts';

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** A self-signed certificate for 127.0.0.1, made with openssl in a throw-away folder. */
function selfSignedCertificate(dir: string): { certFile: string; keyFile: string } {
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' });
  return { certFile, keyFile };
}

interface Posted {
  status: number;
  cookie: string;
  json: { ok: boolean; data: Record<string, string> & { session: { code: string } } };
}

function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Posted> {
  return new Promise((resolve, reject) => {
    const request = https.request(url, { method: 'POST', rejectUnauthorized: false, headers: { 'Content-Type': 'application/json', ...headers } }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, cookie: response.headers['set-cookie']?.[0] ?? '', json: JSON.parse(text) }));
    });
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

describe('HTTPS at the venue', () => {
  it('serves the API and the sockets over TLS when given a certificate, and prints https URLs', async () => {
    const dataDir = makeDataDir();
    const tls = selfSignedCertificate(dataDir);
    app = await createApp({ config: { port: 0, host: '127.0.0.1', publicUrl: undefined, dataDir, databaseUrl: undefined, nodeId: 'test-node', nodeUrl: undefined, coursesDir: FIXTURE_COURSES_DIR, demoCourse: 'sample', joinsPerMinutePerAddress: 600, trustProxy: undefined, tls, adminPassword: TEST_ADMIN_PASSWORD, retentionSweepMinutes: 60, diagnostics: 'off', endedSessionUnloadSeconds: 60, idleSessionUnloadMinutes: 15 } });
    const port = await app.listen();
    const base = `https://127.0.0.1:${port}`;
    const login = await post(`${base}/api/admin/login`, { password: TEST_ADMIN_PASSWORD });
    // Over HTTPS the login cookie is Secure as well as HttpOnly and SameSite=Strict.
    expect(login.cookie).toMatch(/; Secure/);
    const created = await post(`${base}/api/sessions`, { course: 'sample' }, { Cookie: login.cookie.split(';')[0] ?? '', [CSRF_TOKEN_HEADER]: login.json.data.csrfToken ?? '' });
    expect(created.status).toBe(201);
    expect(app.urlsOf(created.json.data.session.code).join).toMatch(/^https:\/\//);
    const joined = await post(`${base}/api/sessions/${created.json.data.session.code}/participants`, {});
    const socket = io(base, {
      auth: { role: 'participant', code: created.json.data.session.code, token: joined.json.data.token },
      transports: ['websocket'],
      rejectUnauthorized: false,
      reconnection: false,
    });
    const snapshot = await new Promise<ParticipantSnapshot>((resolve, reject) => {
      socket.once('participant:synced', resolve);
      socket.once('connect_error', reject);
    });
    socket.disconnect();
    expect(snapshot.session.code).toBe(created.json.data.session.code);
  });
});
