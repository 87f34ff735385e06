/** Per-test set-ups shared by the test files: a server with a fresh session, or a server and Chromium. */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Browser } from 'playwright-core';
import type { CreatedSession } from '../../shared/contract.ts';
import { launchChromium } from './browser.ts';
import { closeAll, type ClientSocket } from './clients.ts';
import { createSession, startTestServer, type TestServer } from './test-app.ts';

export interface SessionFixture {
  server: TestServer;
  session: CreatedSession;
  /** Sockets to disconnect after the test. */
  sockets: ClientSocket[];
}

/** Before each test: a new server on an ephemeral port with a new session of the sample course. */
export function useServerWithSession(): SessionFixture {
  const fixture = { sockets: [] } as unknown as SessionFixture;
  beforeEach(async () => {
    fixture.server = await startTestServer();
    fixture.session = await createSession(fixture.server.baseUrl);
  });
  afterEach(async () => {
    closeAll(fixture.sockets);
    fixture.sockets.length = 0;
    await fixture.server.close();
  });
  return fixture;
}

export interface BrowserFixture {
  server: TestServer;
  browser: Browser;
}

/** For a whole file: one server (on the given courses) and one Chromium. */
export function useServerAndBrowser(options: { coursesDir?: string } = {}): BrowserFixture {
  const fixture = {} as BrowserFixture;
  beforeAll(async () => {
    fixture.server = await startTestServer(options);
    fixture.browser = await launchChromium();
  });
  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.server?.close();
  });
  return fixture;
}
