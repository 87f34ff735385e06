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

async function openPhone(joinUrl: string, nickname: string): Promise<Page> {
  const context = await ctx.browser.newContext({ ...devices['iPhone 13'] });
  contexts.push(context);
  const phone = await context.newPage();
  await phone.goto(joinUrl);
  await phone.getByLabel('ニックネーム（任意）').fill(nickname);
  await phone.getByRole('button', { name: '参加する' }).click();
  await phone.getByText('講師が設問を出すまでお待ちください').waitFor();
  return phone;
}

describe('projector and two phones', () => {
  it('join through the join URL, vote, see the live tally and receive the reveal', async () => {
    const session = await createSession(ctx.server.baseUrl);
    const projectorContext = await ctx.browser.newContext({ viewport: { width: 1280, height: 720 } });
    contexts.push(projectorContext);
    const projector = await projectorContext.newPage();
    const pageErrors: string[] = [];
    projector.on('pageerror', (error) => pageErrors.push(error.message));
    const presenterUrl = ctx.server.app.urlsOf(session.session.code, session).presenter.replace(/^http:\/\/[^/]+/, ctx.server.baseUrl);
    await projector.goto(presenterUrl);
    await projector.locator('.title-slide .join-code strong').getByText(session.session.code).waitFor();
    await projector.waitForFunction(() => ((document.querySelector(".join-qr") as HTMLImageElement | null)?.naturalWidth ?? 0) > 0);
    expect(projector.url()).not.toContain(session.presenterKey);

    const joinUrl = `${ctx.server.baseUrl}/join/${session.session.code}`;
    const phoneA = await openPhone(joinUrl, 'A');
    const phoneB = await openPhone(joinUrl, 'B');
    await projector.locator('#hud').getByText('参加 2人').waitFor();
    await projector.screenshot({ path: `${SCREENSHOT_DIR}/projector-title.png` });

    // Title, intro, chapter title, policy slide, then the first question slide.
    for (let i = 0; i < 4; i += 1) await projector.keyboard.press('ArrowRight');
    const panel = projector.locator('section.present .question-panel');
    await expect.poll(() => panel.getAttribute('data-status')).toBe('open');

    await phoneA.getByRole('button', { name: '○ 正しい' }).waitFor();
    await phoneA.screenshot({ path: `${SCREENSHOT_DIR}/phone-question.png` });
    const votedAt = Date.now();
    await phoneA.getByRole('button', { name: '○ 正しい' }).click();
    await panel.locator('.counter').getByText('回答 1 / 参加 2').waitFor();
    const voteToProjectorMs = Date.now() - votedAt;
    await phoneA.getByText('回答しました').waitFor();
    await phoneB.getByRole('button', { name: '× 誤り' }).click();
    await panel.locator('.counter').getByText('回答 2 / 参加 2').waitFor();
    await expect.poll(() => panel.locator('[data-option="o"] .count').textContent()).toBe('1人');
    await expect.poll(() => panel.locator('[data-option="x"] .count').textContent()).toBe('1人');
    await expect.poll(() => panel.locator('[data-option="o"] .percent').textContent()).toBe('50%');
    await projector.screenshot({ path: `${SCREENSHOT_DIR}/projector-tally.png` });

    await phoneB.getByRole('button', { name: '○ 正しい' }).click();
    await expect.poll(() => panel.locator('[data-option="o"] .count').textContent()).toBe('2人');
    await expect.poll(() => panel.locator('[data-option="x"] .count').textContent()).toBe('0人');

    await panel.getByRole('button', { name: '締切（W）' }).click();
    await phoneA.getByText('回答を締め切りました').waitFor();
    await projector.keyboard.press('e');
    await phoneA.getByText('残念、不正解').waitFor();
    await phoneA.getByText('最初からクレーマー扱いすると二次クレームを招きます。').waitFor();
    await phoneB.getByText('残念、不正解').waitFor();
    await expect.poll(() => panel.getAttribute('data-status')).toBe('revealed');
    await expect.poll(() => panel.locator('.bar-row.correct').getAttribute('data-option')).toBe('x');
    await projector.screenshot({ path: `${SCREENSHOT_DIR}/projector-reveal.png` });
    await phoneA.screenshot({ path: `${SCREENSHOT_DIR}/phone-reveal.png` });

    // A reload keeps the same participant and shows the current state.
    await phoneA.reload();
    await phoneA.getByText('残念、不正解').waitFor();
    expect((await ctx.server.app.rooms.find(session.session.code))?.participantCount).toBe(2);

    // Q asks the question again after the discussion: a fresh round 2 on every phone.
    await projector.keyboard.press('q');
    await phoneB.getByText('設問（再投票）').waitFor();
    await phoneB.getByRole('button', { name: '× 誤り' }).waitFor();
    await panel.locator('.counter').getByText('回答 0 / 参加 2').waitFor();
    expect(pageErrors).toEqual([]);
    console.log(`vote -> projector update: ${voteToProjectorMs} ms`);
  });
});
