/** Per-test set-ups shared by the test files: a server with a fresh session, or a server and Chromium. */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
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

export interface ServersFixture {
  /** Starts a server (on an ephemeral port) that is closed after the test. */
  start(options?: Parameters<typeof startTestServer>[0]): Promise<TestServer>;
  /** Sockets to disconnect after the test. */
  sockets: ClientSocket[];
}

/** Servers and sockets a test starts itself (several, or with a clock or data folder), all closed after each test. */
export function useServers(): ServersFixture {
  const servers: TestServer[] = [];
  const sockets: ClientSocket[] = [];
  afterEach(async () => {
    closeAll(sockets.splice(0));
    for (const server of servers.splice(0)) await server.close().catch(() => undefined);
  });
  return {
    sockets,
    async start(options = {}) {
      const server = await startTestServer(options);
      servers.push(server);
      return server;
    },
  };
}

/** The browser contexts and sockets a browser test file opens, closed after the file. */
export function usePages(ctx: BrowserFixture): { sockets: ClientSocket[]; newPage(options: BrowserContextOptions): Promise<Page> } {
  const contexts: BrowserContext[] = [];
  const sockets: ClientSocket[] = [];
  afterAll(async () => {
    closeAll(sockets.splice(0));
    for (const context of contexts.splice(0)) await context.close();
  });
  return {
    sockets,
    async newPage(options) {
      const context = await ctx.browser.newContext(options);
      contexts.push(context);
      return context.newPage();
    },
  };
}
