/** Starts real kotae servers on ephemeral ports with a throw-away data folder. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp, type App } from '../../server/app.ts';
import type { Config } from '../../server/config.ts';
import type { Clock } from '../../server/live/session-room.ts';
import { CSRF_TOKEN_HEADER, type AdminStatus, type CreatedSession } from '../../shared/contract.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const FIXTURE_COURSES_DIR = path.resolve(here, '..', 'fixtures', 'courses');
export const REAL_COURSES_DIR = path.resolve(here, '..', '..', 'slides');

/** The admin password of every test server (ADMIN_PASSWORD). */
export const TEST_ADMIN_PASSWORD = 'test-admin-password';

/** A clock the test moves by hand, for deadlines, rate limits and pacing. */
export function manualClock(start = Date.UTC(2026, 10, 28, 1, 0, 0)): Clock & { advance(ms: number): number } {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

export function makeDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kotae-test-'));
}

export interface TestServer {
  app: App;
  baseUrl: string;
  dataDir: string;
  close(): Promise<void>;
}

export interface TestServerOptions {
  dataDir?: string;
  /** A PostgreSQL database to store in; default SQLite in the data folder. */
  databaseUrl?: string;
  /** The node's name in a cluster (with databaseUrl); default test-node. */
  nodeId?: string;
  coursesDir?: string;
  clock?: Clock;
  joinsPerMinutePerAddress?: number;
  isOwnAddress?: (address: string) => boolean;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? makeDataDir();
  const config: Config = {
    port: 0,
    host: '127.0.0.1',
    publicUrl: undefined,
    dataDir,
    databaseUrl: options.databaseUrl,
    nodeId: options.nodeId ?? 'test-node',
    nodeUrl: undefined,
    coursesDir: options.coursesDir ?? FIXTURE_COURSES_DIR,
    demoCourse: 'sample',
    joinsPerMinutePerAddress: options.joinsPerMinutePerAddress ?? 600,
    trustProxy: undefined,
    tls: undefined,
    adminPassword: TEST_ADMIN_PASSWORD,
    retentionSweepMinutes: 60,
    diagnostics: 'off',
    endedSessionUnloadSeconds: 60,
    idleSessionUnloadMinutes: 15,
  };
  const app = await createApp({ config, ...(options.clock ? { clock: options.clock } : {}), ...(options.isOwnAddress ? { isOwnAddress: options.isOwnAddress } : {}) });
  const port = await app.listen();
  const baseUrl = `http://127.0.0.1:${port}`;
  return { app, baseUrl, dataDir, close: () => app.close() };
}

/** An organizer logged in to the admin API: the cookie and CSRF header its requests carry. */
export interface AdminCredential {
  cookie: string;
  csrfToken: string;
  /** Headers for a state-changing request. */
  headers: Record<string, string>;
}

/** Logs in as the organizer, as the admin page does. */
export async function loginAsAdmin(baseUrl: string, password = TEST_ADMIN_PASSWORD): Promise<AdminCredential> {
  const response = await fetch(`${baseUrl}/api/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ password }),
  });
  const json = (await response.json()) as { ok: boolean; data: AdminStatus };
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  if (!json.ok || !json.data.csrfToken || !cookie) throw new Error(`admin login failed: ${JSON.stringify(json)}`);
  const csrfToken = json.data.csrfToken;
  return { cookie, csrfToken, headers: { 'Content-Type': 'application/json', Cookie: cookie, [CSRF_TOKEN_HEADER]: csrfToken } };
}

const credentials = new Map<string, Promise<AdminCredential>>();

/** The admin login of a test server, made once per server. */
export function adminOf(baseUrl: string): Promise<AdminCredential> {
  let credential = credentials.get(baseUrl);
  if (!credential) credentials.set(baseUrl, (credential = loginAsAdmin(baseUrl)));
  return credential;
}

/** Creates a session over REST as the logged-in organizer. */
export async function createSession(baseUrl: string, body: Record<string, unknown> = { course: 'sample' }): Promise<CreatedSession> {
  const admin = await adminOf(baseUrl);
  const response = await fetch(`${baseUrl}/api/sessions`, { method: 'POST', headers: admin.headers, body: JSON.stringify(body) });
  const json = (await response.json()) as { ok: boolean; data: CreatedSession };
  if (!json.ok) throw new Error(`session not created: ${JSON.stringify(json)}`);
  return json.data;
}
