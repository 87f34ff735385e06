import { afterAll, describe, expect, it } from 'vitest';
import { devices, type BrowserContext } from 'playwright-core';
import { connectPresenter, requireOk } from '../support/clients.ts';
import { useServerAndBrowser } from '../support/fixtures.ts';
import { createSession } from '../support/test-app.ts';

const ctx = useServerAndBrowser();
const contexts: BrowserContext[] = [];
afterAll(async () => {
  for (const context of contexts) await context.close();
});

describe('a phone on a bad connection', () => {
  it('catches up with what happened while it was offline and keeps its vote', async () => {
    const session = await createSession(ctx.server.baseUrl);
    const { socket: deck } = await connectPresenter(ctx.server.baseUrl, session.session.code, session.presenterKey);
    const context = await ctx.browser.newContext({ ...devices['iPhone 13'] });
    contexts.push(context);
    const phone = await context.newPage();
    await phone.goto(`${ctx.server.baseUrl}/join/${session.session.code}`);
    await phone.getByRole('button', { name: '参加する' }).click();
    await phone.getByText('講師が設問を出すまでお待ちください').waitFor();

    const opened = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-second' }));
    await phone.getByRole('button', { name: '○ 正しい' }).click();
    await phone.getByText('回答しました').waitFor();

    await context.setOffline(true);
    await phone.getByText('オフライン', { exact: true }).waitFor({ timeout: 2_000 });
    await deck.emitWithAck('poll:reveal', { roundId: opened.roundId });
    await context.setOffline(false);

    await phone.getByText('正解！').waitFor({ timeout: 15_000 });
    await phone.getByText('接続中', { exact: true }).waitFor();
    expect(await phone.getByText('あなたの回答: ○ 正しい').count()).toBe(1);
    expect((await ctx.server.app.rooms.find(session.session.code))?.participantCount).toBe(1);
    deck.disconnect();
  });

  it('reconnects as soon as the network returns, without waiting for the pending retry', async () => {
    const session = await createSession(ctx.server.baseUrl);
    const context = await ctx.browser.newContext({ ...devices['iPhone 13'] });
    contexts.push(context);
    // Notes when the page closes and opens WebSockets and when the network returns, before its own scripts run.
    await context.addInitScript({
      content: `(() => {
        const seen = { closed: 0, createdAt: [], onlineAt: null };
        window.__sockets = seen;
        const Native = window.WebSocket;
        window.WebSocket = class extends Native {
          constructor(url, protocols) {
            super(url, protocols);
            seen.createdAt.push(performance.now());
            this.addEventListener('close', () => seen.closed++);
          }
        };
        window.addEventListener('online', () => (seen.onlineAt = performance.now()), true);
      })();`,
    });
    const phone = await context.newPage();
    await phone.goto(`${ctx.server.baseUrl}/join/${session.session.code}`);
    await phone.getByRole('button', { name: '参加する' }).click();
    await phone.getByText('講師が設問を出すまでお待ちください').waitFor();

    await context.setOffline(true);
    // The drop and two failed retries: Socket.IO's next retry is then at least 2 s away.
    await phone.waitForFunction(() => (window as unknown as { __sockets: { closed: number } }).__sockets.closed >= 3, null, { timeout: 15_000 });
    await context.setOffline(false);
    await phone.getByText('接続中', { exact: true }).waitFor({ timeout: 5_000 });

    const seen = await phone.evaluate(() => (window as unknown as { __sockets: { createdAt: number[]; onlineAt: number } }).__sockets);
    const firstAttemptAfterOnline = seen.createdAt.find((at) => at >= seen.onlineAt);
    expect(firstAttemptAfterOnline).toBeDefined();
    expect(firstAttemptAfterOnline! - seen.onlineAt).toBeLessThan(1000);
  });
});
