import { describe, expect, it } from 'vitest';
import { devices } from 'playwright-core';
import type { TestChoice } from '../../shared/contract.ts';
import { SCREENSHOT_DIR } from '../support/browser.ts';
import { connectParticipant, connectPresenter, joinSession, requireOk, type ClientSocket } from '../support/clients.ts';
import { usePages, useServerAndBrowser } from '../support/fixtures.ts';
import { createSession, REAL_COURSES_DIR } from '../support/test-app.ts';

const ctx = useServerAndBrowser({ coursesDir: REAL_COURSES_DIR });
const { sockets, newPage } = usePages(ctx);

const flip = (choice: TestChoice): TestChoice => (choice === 'o' ? 'x' : 'o');

describe('the full workshop cycle on the real course', () => {
  it('runs groups, a case with a re-vote, the pre-test and the 20-item test with the gain', { timeout: 120_000 }, async () => {
    const session = await createSession(ctx.server.baseUrl, { course: 'kasuhara', variant: 'full', settings: { groups: ['A班', 'B班'], prePost: true } });
    const code = session.session.code;
    const projector = await newPage({ viewport: { width: 1280, height: 720 }, reducedMotion: 'reduce' });
    await projector.goto(`${ctx.server.baseUrl}/present/${code}#key=${session.presenterKey}`);
    await projector.locator('.reveal.ready').waitFor();
    const phone = await newPage({ ...devices['iPhone 13'] });
    await phone.goto(`${ctx.server.baseUrl}/join/${code}?group=1`);
    await phone.getByRole('button', { name: '参加する' }).click();
    await phone.getByText('講師が設問を出すまでお待ちください').waitFor();
    const others = await Promise.all(
      ['A班', 'B班', 'B班', 'B班'].map(async (group) => {
        const joined = await joinSession(ctx.server.baseUrl, code, undefined, group);
        const { socket } = await connectParticipant(ctx.server.baseUrl, code, joined.token);
        sockets.push(socket);
        return socket;
      }),
    );
    // A remote (the console, later) moves the deck; the projector follows.
    const { socket: remote } = await connectPresenter(ctx.server.baseUrl, code, session.presenterKey);
    sockets.push(remote);
    const room = (await ctx.server.app.rooms.find(code))!;
    const goTo = async (slideId: string): Promise<void> => {
      requireOk(await remote.emitWithAck('deck:go-to', { slideId }));
      await projector.waitForFunction((id) => (document.querySelector('.reveal .slides > section.present') as HTMLElement | null)?.dataset.slideId === id, slideId);
    };
    const keys = new Map(room.testItems.map((item) => [item.id, item.answer]));

    // The pre-test in the opening: everyone gets most items wrong.
    await goTo(room.deck.slides.find((slide) => slide.testKind === 'pre')!.id);
    await projector.keyboard.press('t');
    await phone.getByText('事前テスト　1 / 5').waitFor();
    const pre = room.latestTestRun('pre')!;
    for (const socket of others) {
      for (const [index, itemId] of pre.itemIds.entries()) {
        requireOk(await socket.emitWithAck('test:answer', { runId: pre.id, itemId, choice: index < 2 ? keys.get(itemId)! : flip(keys.get(itemId)!) }));
      }
    }
    await projector.keyboard.press('w');
    await projector.locator('section.present .test-panel[data-status="closed"]').waitFor();

    // A case: vote with the outcome hidden, discuss, re-vote, then the court's decision.
    const caseSlide = room.deck.slides.find((slide) => slide.questionId?.startsWith('case'))!;
    await goTo(caseSlide.id);
    const panel = projector.locator('section.present .question-panel');
    await expect.poll(() => panel.getAttribute('data-status')).toBe('open');
    const caseQuestion = room.course.questions.find((question) => question.id === caseSlide.questionId)!;
    expect(await panel.innerText()).not.toContain(caseQuestion.explanation.slice(0, 20));
    const options = caseQuestion.kind === 'case' && caseQuestion.choices ? caseQuestion.choices.map((choice) => choice.key) : ['o', 'x'];
    const wrong = options.find((key) => key !== caseQuestion.answer)!;
    const first = room.currentRound()!.id;
    for (const socket of others) requireOk(await socket.emitWithAck('vote:cast', { roundId: first, choice: wrong }));
    await projector.keyboard.press('w');
    await projector.keyboard.press('q');
    await panel.locator('.shift').waitFor();
    const second = room.currentRound()!.id;
    for (const [index, socket] of others.entries()) requireOk(await socket.emitWithAck('vote:cast', { roundId: second, choice: index < 3 ? caseQuestion.answer : wrong }));
    await projector.keyboard.press('w');
    await panel.locator('.shift').getByText('回答を変えた人 3人（両方に回答 4人）').waitFor();
    await projector.screenshot({ path: `${SCREENSHOT_DIR}/course-case-revote.png` });
    await projector.keyboard.press('e');
    await panel.locator('.reveal-box .outcome').waitFor();
    await projector.screenshot({ path: `${SCREENSHOT_DIR}/course-case-reveal.png` });

    // The 20-item test at the end: the phone in Chromium and four sockets.
    await goTo(room.deck.slides.find((slide) => slide.testKind === 'post')!.id);
    await projector.keyboard.press('t');
    await phone.getByText('知識定着確認テスト　1 / 20').waitFor();
    const post = room.latestTestRun('post')!;
    for (const [index, itemId] of post.itemIds.entries()) {
      await phone.getByText(`知識定着確認テスト　${index + 1} / 20`).waitFor();
      const choice = index < 18 ? keys.get(itemId)! : flip(keys.get(itemId)!);
      await phone.getByRole('button', { name: choice === 'o' ? '○ 正しい' : '× 誤り' }).click();
    }
    await phone.getByRole('button', { name: '提出する' }).click();
    for (const [socketIndex, socket] of others.entries()) {
      for (const [index, itemId] of post.itemIds.entries()) {
        requireOk(await socket.emitWithAck('test:answer', { runId: post.id, itemId, choice: index < 14 + socketIndex ? keys.get(itemId)! : flip(keys.get(itemId)!) }));
      }
      requireOk(await socket.emitWithAck('test:submit', { runId: post.id }));
    }
    // Everyone submitted: the test closed by itself.
    await projector.locator('section.present .test-panel[data-status="closed"] .histogram').waitFor();
    await projector.locator('section.present .test-gain').waitFor();
    await projector.screenshot({ path: `${SCREENSHOT_DIR}/course-test-results.png` });
    const closed = room.latestTestRun('post')!;
    expect(closed.status).toBe('closed');
    await phone.getByText('18 / 20').waitFor();
    await phone.screenshot({ path: `${SCREENSHOT_DIR}/course-phone-test-result.png` });
    expect(await phone.locator('.missed').count()).toBe(2);
  });
});
