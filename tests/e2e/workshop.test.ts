import { describe, expect, it } from 'vitest';
import { devices } from 'playwright-core';
import type { TestChoice } from '../../shared/contract.ts';
import { SCREENSHOT_DIR } from '../support/browser.ts';
import { connectParticipant, joinSession, requireOk, type ClientSocket } from '../support/clients.ts';
import { usePages, useServerAndBrowser } from '../support/fixtures.ts';
import { createSession } from '../support/test-app.ts';

const ctx = useServerAndBrowser();
const { sockets, newPage } = usePages(ctx);

describe('the workshop in the browser', () => {
  it('runs the test on a phone with a reload in the middle, and shows the distribution on the projector', { timeout: 90_000 }, async () => {
    const session = await createSession(ctx.server.baseUrl, { course: 'sample', settings: { groups: ['1班', '2班'] } });
    const code = session.session.code;
    const projector = await newPage({ viewport: { width: 1280, height: 720 }, reducedMotion: 'reduce' });
    await projector.goto(`${ctx.server.baseUrl}/present/${code}#key=${session.presenterKey}`);
    await projector.locator('.reveal.ready').waitFor();

    // A per-group link chooses the group in advance.
    const phone = await newPage({ ...devices['iPhone 13'] });
    await phone.goto(`${ctx.server.baseUrl}/join/${code}?group=2`);
    expect(await phone.getByLabel('2班').isChecked()).toBe(true);
    await phone.screenshot({ path: `${SCREENSHOT_DIR}/phone-join-groups.png` });
    await phone.getByRole('button', { name: '参加する' }).click();
    await phone.getByText('講師が設問を出すまでお待ちください').waitFor();

    // Two more participants answer over sockets, so the distribution has a shape.
    const room = (await ctx.server.app.rooms.find(code))!;
    const keys = new Map(room.testItems.map((item) => [item.id, item.answer]));
    const others = await Promise.all(['1班', '1班'].map((group) => joinSession(ctx.server.baseUrl, code, undefined, group)));

    // Walk to the test slide (the last slide before the closing 質疑応答 slot) and start it with T.
    await projector.keyboard.press('End');
    await projector.locator('section.present[data-slide-kind="break"]').waitFor();
    await projector.keyboard.press('ArrowLeft');
    await projector.locator('section.present .test-panel').waitFor();
    await projector.keyboard.press('t');
    await projector.locator('section.present .test-panel[data-status="open"]').waitFor();
    await phone.getByText('知識定着確認テスト　1 / 20').waitFor();
    await phone.screenshot({ path: `${SCREENSHOT_DIR}/phone-test-item.png` });

    // The phone answers ten items, one thumb: a first answer moves on to the next item.
    const prompts = room.testItems.map((item) => item.prompt);
    for (let index = 0; index < 10; index += 1) {
      await phone.getByText(`知識定着確認テスト　${index + 1} / 20`).waitFor();
      const key = keys.get(room.testItems[index]!.id)!;
      await phone.getByRole('button', { name: key === 'o' ? '○ 正しい' : '× 誤り' }).click();
    }
    await phone.getByText('知識定着確認テスト　11 / 20').waitFor();
    await phone.reload();
    await phone.getByText('知識定着確認テスト　11 / 20').waitFor();
    await phone.getByText(prompts[10]!).waitFor();
    await phone.getByRole('button', { name: '← 前へ' }).click();
    await phone.getByText('知識定着確認テスト　10 / 20').waitFor();
    expect(await phone.locator('.option.chosen').count()).toBe(1);
    await phone.getByRole('button', { name: '次へ →' }).click();
    for (let index = 10; index < 20; index += 1) {
      await phone.getByText(`知識定着確認テスト　${index + 1} / 20`).waitFor();
      const key = keys.get(room.testItems[index]!.id)!;
      // The phone misses the last three items on purpose.
      const choice: TestChoice = index < 17 ? key : key === 'o' ? 'x' : 'o';
      await phone.getByRole('button', { name: choice === 'o' ? '○ 正しい' : '× 誤り' }).click();
    }
    await phone.getByText('回答を見直して提出').waitFor();
    await phone.getByText('すべて回答しました').waitFor();
    await phone.screenshot({ path: `${SCREENSHOT_DIR}/phone-test-review.png`, fullPage: true });
    await phone.getByRole('button', { name: '提出する' }).click();
    await phone.getByText('提出しました').waitFor();
    await projector.locator('section.present .test-progress-count').getByText('1 / 3').waitFor();
    await projector.screenshot({ path: `${SCREENSHOT_DIR}/projector-test-open.png` });

    for (const [index, joined] of others.entries()) {
      const { socket } = await connectParticipant(ctx.server.baseUrl, code, joined.token);
      sockets.push(socket);
      const runId = room.latestTestRun('post')!.id;
      for (const [itemIndex, item] of room.testItems.entries()) {
        const right = itemIndex < 12 + index * 4;
        requireOk(await socket.emitWithAck('test:answer', { runId, itemId: item.id, choice: right ? item.answer : item.answer === 'o' ? 'x' : 'o' }));
      }
    }
    await projector.keyboard.press('w');
    await projector.locator('section.present .test-panel[data-status="closed"] .histogram').waitFor();
    await projector.locator('section.present .test-summary').getByText('15.0').waitFor();
    expect(await projector.locator('section.present .rate-row').count()).toBe(6);
    await projector.screenshot({ path: `${SCREENSHOT_DIR}/projector-test-results.png` });

    await phone.getByText('17 / 20').waitFor();
    await phone.getByText('間違えた問題の解説').waitFor();
    expect(await phone.locator('.missed').count()).toBe(3);
    await phone.screenshot({ path: `${SCREENSHOT_DIR}/phone-test-result.png`, fullPage: true });
  });

  it('shows round 1 beside round 2 and the groups’ tallies on the projector', { timeout: 60_000 }, async () => {
    const session = await createSession(ctx.server.baseUrl, { course: 'sample', settings: { groups: ['1班', '2班', '3班'] } });
    const code = session.session.code;
    const projector = await newPage({ viewport: { width: 1280, height: 720 }, reducedMotion: 'reduce' });
    await projector.goto(`${ctx.server.baseUrl}/present/${code}#key=${session.presenterKey}`);
    await projector.locator('.reveal.ready').waitFor();
    const phones = await Promise.all(
      ['1班', '1班', '2班', '3班', '3班'].map(async (group) => {
        const joined = await joinSession(ctx.server.baseUrl, code, undefined, group);
        const { socket } = await connectParticipant(ctx.server.baseUrl, code, joined.token);
        sockets.push(socket);
        return socket;
      }),
    );
    for (let i = 0; i < 4; i += 1) await projector.keyboard.press('ArrowRight');
    const panel = projector.locator('section.present .question-panel');
    await expect.poll(() => panel.getAttribute('data-status')).toBe('open');
    const room = (await ctx.server.app.rooms.find(code))!;
    const first = room.currentRound()!.id;
    for (const [index, socket] of phones.entries()) requireOk(await socket.emitWithAck('vote:cast', { roundId: first, choice: index < 4 ? 'o' : 'x' }));
    await projector.keyboard.press('w');
    await projector.keyboard.press('q');
    await panel.locator('.shift').waitFor();
    const second = room.currentRound()!.id;
    for (const [index, socket] of phones.entries()) requireOk(await socket.emitWithAck('vote:cast', { roundId: second, choice: index < 2 ? 'o' : 'x' }));
    await panel.locator('.counter').getByText('回答 5 / 参加 5').waitFor();
    await projector.keyboard.press('w');
    await panel.locator('.shift').getByText('回答を変えた人 2人（両方に回答 5人）').waitFor();
    await projector.screenshot({ path: `${SCREENSHOT_DIR}/projector-revote-shift.png` });
    await projector.keyboard.press('g');
    await panel.locator('.group-card').first().waitFor();
    expect(await panel.locator('.group-card').count()).toBe(3);
    await projector.screenshot({ path: `${SCREENSHOT_DIR}/projector-groups.png` });
  });
});
