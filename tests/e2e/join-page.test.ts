import { afterAll, describe, expect, it } from 'vitest';
import { devices, type BrowserContext, type Page } from 'playwright-core';
import { SESSION_INFO_BLOCK_ID } from '../../shared/contract.ts';
import { useServerAndBrowser } from '../support/fixtures.ts';
import { createSession } from '../support/test-app.ts';

const ctx = useServerAndBrowser();
const contexts: BrowserContext[] = [];
afterAll(async () => {
  for (const context of contexts) await context.close();
});

interface Seen {
  socketsCreated: number;
  socketsOpen: number;
  cspViolations: string[];
}

/** A phone that notes its WebSockets and CSP violations (before the page's scripts run) and every API call. */
async function openPhone(): Promise<{ phone: Page; apiCalls: string[]; socketUrls: string[]; seen(): Promise<Seen> }> {
  const context = await ctx.browser.newContext({ ...devices['iPhone 13'] });
  contexts.push(context);
  await context.addInitScript({
    content: `(() => {
      const seen = { socketsCreated: 0, socketsOpen: 0, cspViolations: [] };
      window.__seen = seen;
      const Native = window.WebSocket;
      window.WebSocket = class extends Native {
        constructor(url, protocols) {
          super(url, protocols);
          seen.socketsCreated++;
          this.addEventListener('open', () => seen.socketsOpen++);
        }
      };
      document.addEventListener('securitypolicyviolation', (event) => seen.cspViolations.push(event.violatedDirective));
    })();`,
  });
  const phone = await context.newPage();
  const apiCalls: string[] = [];
  phone.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/api/')) apiCalls.push(`${request.method()} ${pathname}`);
  });
  const socketUrls: string[] = [];
  phone.on('websocket', (socket) => socketUrls.push(socket.url()));
  return { phone, apiCalls, socketUrls, seen: () => phone.evaluate(() => (window as unknown as { __seen: Seen }).__seen) };
}

describe('the join page on a first visit', () => {
  it('draws the form from the page itself, styled under its CSP, and opens its connection before the tap', async () => {
    const session = await createSession(ctx.server.baseUrl);
    const code = session.session.code;
    const { phone, apiCalls, socketUrls, seen } = await openPhone();
    await phone.goto(`${ctx.server.baseUrl}/join/${code}`);
    const join = phone.getByRole('button', { name: '参加する' });
    await join.waitFor();
    // The inline stylesheet applies (allowed by its hash): the button has the accent colour.
    expect(await join.evaluate((button) => getComputedStyle(button).backgroundColor)).toBe('rgb(11, 87, 208)');
    // Japanese lines break between phrases, never inside a word, on a 360 px phone.
    expect(await phone.evaluate(() => getComputedStyle(document.body).wordBreak)).toBe('auto-phrase');
    await phone.waitForFunction(() => (window as unknown as { __seen: Seen }).__seen.socketsOpen === 1, null, { timeout: 5_000 });
    expect((await ctx.server.app.rooms.find(code))?.participantCount).toBe(0);
    // Before joining, the status line does not claim a connection.
    expect(await phone.locator('#status').textContent()).toBe('');

    await join.click();
    await phone.getByText('講師が設問を出すまでお待ちください').waitFor();
    await phone.getByText('接続中', { exact: true }).waitFor();
    // The page names the node that runs the session: no `home` round trip before the connection.
    expect(apiCalls).toEqual([`POST /api/sessions/${code}/participants`]);
    expect(socketUrls).toEqual([expect.stringContaining('node=test-node')]);
    expect(await seen()).toEqual({ socketsCreated: 1, socketsOpen: 1, cspViolations: [] });
    expect((await ctx.server.app.rooms.find(code))?.participantCount).toBe(1);
  });

  it('asks the API for the session when the page carries no session info (as from the dev server)', async () => {
    const session = await createSession(ctx.server.baseUrl);
    const code = session.session.code;
    const { phone, apiCalls } = await openPhone();
    // Takes the data block out as the parser adds it, before the page's script runs (a page served by
    // page.route would count as non-local and lose its WebSocket to 127.0.0.1).
    await phone.addInitScript((id) => {
      new MutationObserver(() => document.getElementById(id)?.remove()).observe(document, { childList: true, subtree: true });
    }, SESSION_INFO_BLOCK_ID);
    await phone.goto(`${ctx.server.baseUrl}/join/${code}`);
    await phone.getByRole('button', { name: '参加する' }).click();
    await phone.getByText('講師が設問を出すまでお待ちください').waitFor();
    expect(apiCalls).toEqual([`GET /api/sessions/${code}`, `POST /api/sessions/${code}/participants`]);
  });
});
