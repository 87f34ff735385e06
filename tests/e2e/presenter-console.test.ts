import { afterAll, describe, expect, it } from 'vitest';
import { devices, type BrowserContext, type Page } from 'playwright-core';
import { SCREENSHOT_DIR } from '../support/browser.ts';
import { useServerAndBrowser } from '../support/fixtures.ts';
import { createSession } from '../support/test-app.ts';

const ctx = useServerAndBrowser();
const contexts: BrowserContext[] = [];
afterAll(async () => {
  for (const context of contexts) await context.close();
});

/** Every notes text of the sample course: none may reach the projector or a phone. */
const NOTES = ['テスト用の導入スライドです。', '第1章の扉です。', '基本方針を説明します。', 'まず個人で回答してもらいます。', '二問目です。', '事例の設問です。'];

/** A page whose WebSocket frames are recorded, to check what it was sent. */
async function openPage(options: Parameters<typeof ctx.browser.newContext>[0], url: string): Promise<{ page: Page; frames: string[] }> {
  const context = await ctx.browser.newContext(options);
  contexts.push(context);
  const page = await context.newPage();
  const frames: string[] = [];
  page.on('websocket', (socket) => socket.on('framereceived', (frame) => frames.push(String(frame.payload))));
  page.on('response', async (response) => {
    if (response.url().includes('/api/')) frames.push(await response.text().catch(() => ''));
  });
  await page.goto(url);
  return { page, frames };
}

async function openPhone(joinUrl: string, nickname?: string): Promise<{ page: Page; frames: string[] }> {
  const phone = await openPage({ ...devices['iPhone 13'] }, joinUrl);
  if (nickname) await phone.page.locator('#nickname').fill(nickname);
  await phone.page.getByRole('button', { name: '参加する' }).click();
  await phone.page.getByText('講師が設問を出すまでお待ちください').waitFor();
  return phone;
}

function slideIdOf(page: Page): Promise<string | undefined> {
  return page.evaluate(() => (document.querySelector('.reveal .slides > section.present') as HTMLElement | null)?.dataset.slideId);
}

/**
 * Taps a console button and resolves with how long the projector took to show the slide: both
 * timestamps are taken in the pages (same machine clock), so the test driver's own delays do not count.
 */
async function moveAndTime(remote: Page, projector: Page, button: 'next' | 'prev', slideId: string): Promise<number> {
  const shown = projector.waitForFunction(
    (id) => ((document.querySelector('.reveal .slides > section.present') as HTMLElement | null)?.dataset.slideId === id ? Date.now() : false),
    slideId,
    { timeout: 2000, polling: 'raf' },
  );
  const tappedAt = await remote.evaluate((action) => {
    (document.querySelector(`button[data-action="${action}"]`) as HTMLButtonElement).click();
    return Date.now();
  }, button);
  return ((await (await shown).jsonValue()) as number) - tappedAt;
}

describe('the presenter console on a phone', () => {
  it('runs the deck, a round, the timer, the overlays and Q&A; a reloaded projector returns to the same state; notes stay on the console', { timeout: 120_000 }, async () => {
    const session = await createSession(ctx.server.baseUrl);
    const code = session.session.code;
    const base = ctx.server.baseUrl;
    const projectorUrl = `${base}/present/${code}#key=${session.presenterKey}`;
    const { page: projector, frames: projectorFrames } = await openPage({ viewport: { width: 1280, height: 720 }, reducedMotion: 'reduce' }, projectorUrl);
    await projector.locator('.reveal.ready').waitFor();
    const { page: remote } = await openPage({ ...devices['iPhone 13'], viewport: { width: 390, height: 844 } }, `${base}/console/${code}#key=${session.presenterKey}`);
    await remote.locator('.notes h2').waitFor();
    // Japanese lines on the console break between phrases, never inside a word.
    expect(await remote.evaluate(() => getComputedStyle(document.body).wordBreak)).toBe('auto-phrase');
    const asker = await openPhone(`${base}/join/${code}`, 'さとう');
    const second = await openPhone(`${base}/join/${code}`);
    const third = await openPhone(`${base}/join/${code}`);
    const pageErrors: string[] = [];
    for (const page of [projector, remote, asker.page]) page.on('pageerror', (error) => pageErrors.push(error.message));

    // The console moves the projector: title → intro-1 → ch1-1 → ch1-2 → ch1-3 (q-basic opens).
    const latencies: number[] = [];
    for (const slideId of ['intro-1', 'ch1-1', 'ch1-2']) latencies.push(await moveAndTime(remote, projector, 'next', slideId));
    await remote.locator('.notes .note').getByText('基本方針を説明します。').waitFor();
    latencies.push(await moveAndTime(remote, projector, 'next', 'ch1-3'));
    await remote.locator('.round h2').getByText('回答受付中').waitFor();
    // Results hidden while open: the projector keeps the response count, not the counts and percentages.
    await remote.locator('button[data-action="hide-results"]').click();
    const projectorPanel = projector.locator('section.present .question-panel');
    await projector.locator('section.present .question-panel.counts-hidden').waitFor();
    await asker.page.getByRole('button', { name: '× 誤り' }).click();
    await asker.page.getByText('回答しました').waitFor();
    await remote.locator('.round .counter').getByText('回答 1 / 参加 3').waitFor();
    await projectorPanel.locator('.counter').getByText('回答 1 / 参加 3').waitFor();
    expect(await projectorPanel.locator('.numbers').allInnerTexts()).toEqual(['', '']);
    await remote.screenshot({ path: `${SCREENSHOT_DIR}/console-phone-round-open.png`, fullPage: true });
    await remote.locator('button[data-action="close"]').click();
    await projector.locator('section.present .question-panel[data-status="closed"]').waitFor();
    await projectorPanel.locator('.bar-row.option-x .count').getByText('1人').waitFor();
    await remote.locator('button[data-action="reveal"]').click();
    await projector.locator('section.present .question-panel[data-status="revealed"]').waitFor();
    await asker.page.getByText('正解！').waitFor();
    latencies.push(await moveAndTime(remote, projector, 'prev', 'ch1-2'), await moveAndTime(remote, projector, 'next', 'ch1-3'));

    // The discussion timer on the projector and on the phones; the join QR overlay.
    await remote.locator('button[data-minutes="2"]').click();
    await projector.locator('.stage-timer:not([hidden]) .stage-timer-value').getByText(/^[12]:\d\d$/).waitFor();
    await second.page.locator('#timer:not([hidden])').getByText(/話し合いタイマー 残り [12]:\d\d/).waitFor();
    await remote.locator('button[data-action="join-qr"]').click();
    await projector.locator('.stage-join:not([hidden])').waitFor();
    await projector.screenshot({ path: `${SCREENSHOT_DIR}/projector-join-overlay-and-timer.png` });
    await second.page.screenshot({ path: `${SCREENSHOT_DIR}/phone-timer.png` });

    // A reloaded projector shows the same slide, overlay and timer.
    await projector.reload();
    await projector.locator('.reveal.ready').waitFor();
    await expect.poll(() => slideIdOf(projector)).toBe('ch1-3');
    await projector.locator('.stage-join:not([hidden])').waitFor();
    await projector.locator('.stage-timer:not([hidden])').waitFor();
    await projector.locator('section.present .question-panel[data-status="revealed"]').waitFor();
    await remote.locator('button[data-action="join-qr"]').click();
    await projector.locator('.stage-join').waitFor({ state: 'hidden' });

    // Q&A: a question from a phone, upvoted by two others, approved and pinned on the remote, shown on the projector.
    await asker.page.locator('#qa-text').fill('<b>録音</b>は断ってもよいですか？');
    await asker.page.locator('#qa-nickname').check();
    await asker.page.getByRole('button', { name: '質問を送る' }).click();
    await asker.page.getByText('送信しました。').waitFor();
    for (const phone of [second, third]) {
      const upvote = phone.page.locator('.qa-item', { hasText: '録音' }).locator('button.upvote');
      await upvote.click();
      await expect.poll(() => upvote.getAttribute('aria-pressed')).toBe('true');
    }
    const item = remote.locator('.qa-item', { hasText: '録音' });
    await item.locator('.qa-meta').getByText(/▲ 2/).waitFor();
    await item.locator('button[data-action="approve"]').click();
    await item.locator('.qa-meta').getByText('承認済み').waitFor();
    await item.locator('button[data-action="pin"]').click();
    const pinned = projector.locator('.stage-pinned:not([hidden])');
    await pinned.locator('.stage-pinned-text').getByText('<b>録音</b>は断ってもよいですか？', { exact: true }).waitFor();
    await pinned.locator('.stage-pinned-meta').getByText('さとう　▲ 2').waitFor();
    expect(await projector.locator('.stage-pinned b').count()).toBe(0);
    await projector.screenshot({ path: `${SCREENSHOT_DIR}/projector-pinned-question.png` });
    await asker.page.screenshot({ path: `${SCREENSHOT_DIR}/phone-qa.png`, fullPage: true });
    await remote.screenshot({ path: `${SCREENSHOT_DIR}/console-phone-qa.png`, fullPage: true });

    // Black screen from the console's clicker keys.
    await remote.keyboard.press('b');
    await projector.locator('.stage-black:not([hidden])').waitFor();
    await expect.poll(() => remote.locator('button[data-action="black"]').getAttribute('aria-pressed')).toBe('true');
    await remote.keyboard.press('b');
    await projector.locator('.stage-black').waitFor({ state: 'hidden' });
    await remote.keyboard.press('PageDown');
    await expect.poll(() => slideIdOf(projector)).toBe('ch1-4');

    // Speaker notes: on the console only, never in the projector's or a phone's DOM or traffic.
    await remote.locator('.notes .note').getByText('二問目です。').waitFor();
    for (const { page, frames } of [{ page: projector, frames: projectorFrames }, asker, second]) {
      const html = await page.content();
      const traffic = frames.join('\n');
      for (const note of NOTES) {
        expect(html).not.toContain(note);
        expect(traffic).not.toContain(note);
      }
    }
    // A tap on a part of the plan jumps there: the closing 質疑応答 slot counts down on the projector.
    await remote.locator('.pacing button[data-part="break-3"]').click();
    await expect.poll(() => slideIdOf(projector)).toBe('break-3');
    await projector.locator('section.present .break-countdown').getByText(/^残り [45]:\d\d$/).waitFor();
    await projector.screenshot({ path: `${SCREENSHOT_DIR}/projector-break-slot.png` });

    // The console's own QR, to pick it up on another phone, appears only when asked for.
    expect(await remote.locator('img.phone-qr').isVisible()).toBe(false);
    await remote.locator('button[data-action="phone-qr"]').click();
    await expect.poll(() => remote.locator('img.phone-qr').evaluate((image) => (image as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
    console.log(`console → projector: ${Math.min(...latencies)}–${Math.max(...latencies)} ms over ${latencies.length} moves`);
    // The bar is 200 ms; each move commits to disk first (synchronous=FULL), so on a shared CI machine
    // a single move may take longer: the median must meet the bar, and no move may take half a second.
    const median = [...latencies].sort((a, b) => a - b)[Math.floor(latencies.length / 2)]!;
    expect(median).toBeLessThan(200);
    expect(Math.max(...latencies)).toBeLessThan(500);
  });
});
