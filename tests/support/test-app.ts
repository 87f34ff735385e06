/** Starts real kotae servers on ephemeral ports with a throw-away data folder. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp, type App } from '../../server/app.ts';
import type { Config } from '../../server/config.ts';
import type { Clock } from '../../server/live/session-room.ts';
import type { CreatedSession } from '../../shared/contract.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const FIXTURE_COURSES_DIR = path.resolve(here, '..', 'fixtures', 'courses');
export const REAL_COURSES_DIR = path.resolve(here, '..', '..', 'slides');

export function makeDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kotae-test-'));
}

export interface TestServer {
  app: App;
  baseUrl: string;
  dataDir: string;
  close(): Promise<void>;
}

export async function startTestServer(options: { dataDir?: string; coursesDir?: string; clock?: Clock; joinsPerMinutePerAddress?: number } = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? makeDataDir();
  const config: Config = {
    port: 0,
    host: '127.0.0.1',
    publicUrl: undefined,
    dataDir,
    coursesDir: options.coursesDir ?? FIXTURE_COURSES_DIR,
    demoCourse: 'sample',
    joinsPerMinutePerAddress: options.joinsPerMinutePerAddress ?? 600,
    trustProxy: undefined,
    tls: undefined,
  };
  const app = createApp({ config, ...(options.clock ? { clock: options.clock } : {}) });
  const port = await app.listen();
  const baseUrl = `http://127.0.0.1:${port}`;
  return { app, baseUrl, dataDir, close: () => app.close() };
}

export async function createSession(baseUrl: string, body: Record<string, unknown> = { course: 'sample' }): Promise<CreatedSession> {
  const response = await fetch(`${baseUrl}/api/sessions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { ok: boolean; data: CreatedSession };
  if (!json.ok) throw new Error(`session not created: ${JSON.stringify(json)}`);
  return json.data;
}
