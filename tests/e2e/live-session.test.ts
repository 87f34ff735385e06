import { afterAll, describe, expect, it } from 'vitest';
import { devices, type BrowserContext, type Page } from 'playwright-core';
import { SCREENSHOT_DIR } from '../support/browser.ts';
import { connectPresenter, requireOk } from '../support/clients.ts';
import { useServerAndBrowser } from '../support/fixtures.ts';
import { countVoters, storedRounds } from '../support/sql.ts';
import { createSession } from '../support/test-app.ts';

const ctx = useServerAndBrowser();
const contexts: BrowserContext[] = [];
afterAll(async () => {
  for (const context of contexts) await context.close();
});

async function openPresenter(url: string): Promise<Page> {
  const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 720 }, reducedMotion: 'reduce' });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('.reveal.ready').waitFor();
  return page;
}

async function openPhone(joinUrl: string): Promise<{ page: Page; context: BrowserContext }> {
  const context = await ctx.browser.newContext({ ...devices['iPhone 13'] });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(joinUrl);
  await page.getByRole('button', { name: '参加する' }).click();
  await page.getByText('講師が設問を出すまでお待ちください').waitFor();
  return { page, context };
}

function slideIdOf(page: Page): Promise<string | undefined> {
  return page.evaluate(() => (document.querySelector('.reveal .slides > section.present') as HTMLElement | null)?.dataset.slideId);
}

/** Resolves with how long the other window took to show the slide. */
async function followTime(page: Page, slideId: string): Promise<number> {
  const startedAt = Date.now();
  await page.waitForFunction((id) => (document.querySelector('.reveal .slides > section.present') as HTMLElement | null)?.dataset.slideId === id, slideId, {
    timeout: 2000,
    polling: 10,
  });
  return Date.now() - startedAt;
}

describe('a live session with two presenter windows and three phones', () => {
  it('keeps every screen on the server’s deck and round, and never shows a vote that was not counted', { timeout: 90_000 }, async () => {
    const session = await createSession(ctx.server.baseUrl);
    const code = session.session.code;
    const presenterUrl = `${ctx.server.baseUrl}/present/${code}#key=${session.presenterKey}`;
    const projector = await openPresenter(presenterUrl);
    const second = await openPresenter(presenterUrl);
    const pageErrors: string[] = [];
    for (const page of [projector, second]) page.on('pageerror', (error) => pageErrors.push(error.message));
    const joinUrl = `${ctx.server.baseUrl}/join/${code}`;
    const [a, b, c] = [await openPhone(joinUrl), await openPhone(joinUrl), await openPhone(joinUrl)];
    const followMs: number[] = [];

    // Walk to the first question (title, intro, chapter title, policy, question) in the projector window.
    for (let i = 0; i < 4; i += 1) {
      await projector.keyboard.press('ArrowRight');
      followMs.push(await followTime(second, (await slideIdOf(projector))!));
    }
    expect(await slideIdOf(second)).toBe('ch1-3');
    await a.page.getByRole('button', { name: '○ 正しい' }).click();
    await a.page.getByText('回答しました').waitFor();
    await b.page.getByRole('button', { name: '× 誤り' }).click();
    await b.page.getByText('回答しました').waitFor();
    const panel = projector.locator('section.present .question-panel');
    await panel.locator('.counter').getByText('回答 2 / 参加 3').waitFor();
    await projector.keyboard.press('e');
    await a.page.getByText('残念、不正解').waitFor();
    await b.page.getByText('正解！').waitFor();

    // Walking back and forward over the revealed question changes nothing.
    await projector.keyboard.press('ArrowLeft');
    await a.page.getByText('講師が設問を出すまでお待ちください').waitFor();
    await projector.keyboard.press('ArrowLeft');
    await projector.keyboard.press('ArrowRight');
    await projector.keyboard.press('ArrowRight');
    followMs.push(await followTime(second, 'ch1-3'));
    await a.page.getByText('残念、不正解').waitFor();
    await b.page.getByText('正解！').waitFor();
    await expect.poll(() => panel.getAttribute('data-status')).toBe('revealed');
    await expect.poll(() => second.locator('section.present .question-panel').getAttribute('data-status')).toBe('revealed');
    expect(storedRounds(ctx.server.dataDir, code)).toHaveLength(1);

    // A move made in the second window moves the projector and the phones.
    await second.keyboard.press('ArrowRight');
    followMs.push(await followTime(projector, 'ch1-4'));
    await c.page.getByRole('button', { name: '○ 正しい' }).waitFor();

    // An offline tap is not sent, and says so; back online, the phone shows what the server has.
    await c.context.setOffline(true);
    await c.page.locator('#status').getByText('オフライン', { exact: true }).waitFor({ timeout: 2000 });
    await c.page.getByRole('button', { name: '○ 正しい' }).click();
    await c.page.getByText('オフラインのため送信していません').waitFor();
    await c.page.screenshot({ path: `${SCREENSHOT_DIR}/phone-offline-tap.png` });
    await c.context.setOffline(false);
    await c.page.locator('#status').getByText('接続中', { exact: true }).waitFor({ timeout: 10_000 });
    const secondRound = (await ctx.server.app.rooms.find(code))!.currentRound()!;
    expect(countVoters(ctx.server.dataDir, secondRound.id)).toBe(0);
    await projector.locator('section.present .question-panel .counter').getByText('回答 0 / 参加 3').waitFor();
    expect(await c.page.getByText('回答しました').count()).toBe(0);

    // Leaving an open question for a content slide closes it: the phones say so and wait with the
    // chapter. The move comes from a third presenter connection (as a remote would send it).
    const { socket: remote } = await connectPresenter(ctx.server.baseUrl, code, session.presenterKey);
    requireOk(await remote.emitWithAck('deck:go-to', { slideId: 'ch1-2' }));
    remote.disconnect();
    await c.page.getByText('回答の受付は終了しました').waitFor();
    await c.page.getByText('クレームの基本').waitFor();
    await c.page.screenshot({ path: `${SCREENSHOT_DIR}/phone-voting-ended.png` });
    followMs.push(await followTime(projector, 'ch1-2'), await followTime(second, 'ch1-2'));

    // A presenter window opened now starts where the session is.
    const late = await openPresenter(presenterUrl);
    followMs.push(await followTime(late, 'ch1-2'));
    await projector.screenshot({ path: `${SCREENSHOT_DIR}/projector-walked-back.png` });

    const results = await (
      await fetch(`${ctx.server.baseUrl}/api/sessions/${code}/results`, { headers: { 'X-Organizer-Key': session.organizerKey } })
    ).json();
    expect(results.data.rounds.map((round: { questionId: string }) => round.questionId)).toEqual(['q-basic']);
    expect(results.data.skippedRounds).toBe(1);
    expect(pageErrors).toEqual([]);
    console.log(`presenter windows followed the server in ${Math.min(...followMs)}–${Math.max(...followMs)} ms`);
  });
});
