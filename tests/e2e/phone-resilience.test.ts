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
    expect(ctx.server.app.rooms.find(session.session.code)?.participantCount).toBe(1);
    deck.disconnect();
  });
});
