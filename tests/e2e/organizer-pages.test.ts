import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { devices, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR } from '../support/browser.ts';
import { closeAll, connectPresenter, joinParticipant, requireOk, type ClientSocket } from '../support/clients.ts';
import { useServerAndBrowser } from '../support/fixtures.ts';
import { childIdsOfSession, rowsAboutSession } from '../support/sql.ts';
import { createSession, TEST_ADMIN_PASSWORD } from '../support/test-app.ts';

const ctx = useServerAndBrowser();

function countPdfPages(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
}

/** The text of a printed PDF (poppler's pdftotext), as a person would read it. */
function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

function savePdf(name: string, pdf: Buffer): string {
  const file = path.join(SCREENSHOT_DIR, name);
  fs.writeFileSync(file, pdf);
  return file;
}

async function logIn(page: Page): Promise<void> {
  await page.goto(`${ctx.server.baseUrl}/admin`);
  await page.getByLabel('管理者パスワード').fill(TEST_ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'ログイン' }).click();
  await page.getByRole('heading', { name: '新しい開催を作成' }).waitFor();
}

describe('the all-sessions page', () => {
  it('logs in, creates a session with every setting, ends it (the phone says so) and deletes it with all its data', async () => {
    const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const phoneContext = await ctx.browser.newContext({ ...devices['iPhone 13'] });
    try {
      const page = await context.newPage();
      await logIn(page);
      await page.getByLabel('開催名', { exact: true }).fill('カスハラ対策研修（12月）');
      await page.getByLabel('クライアント（企業・団体名）').fill('株式会社サンプル商事');
      await page.getByLabel('開催日時').fill('2026-12-01T14:00');
      await page.getByLabel('会場', { exact: true }).fill('本社 5階 大会議室');
      await page.getByLabel('講師', { exact: true }).fill('山田 太郎 弁護士');
      await page.getByLabel('予定参加人数').fill('40');
      await page.getByLabel('グループ数').fill('2');
      await page.getByLabel('リハーサル').check();
      await page.getByLabel('会場Wi-Fiのネットワーク名（参加案内に印刷）').fill('SEMINAR-GUEST');
      await page.getByLabel('会場Wi-Fiのパスワード').fill('welcome2026');
      await page.getByLabel('データの保存期間').selectOption('90');
      await page.getByLabel('冒頭に事前テストを行い、最後に伸びを示す').check();
      await page.getByLabel('テスト後の上位表示（ニックネーム）').selectOption('3');
      await page.getByRole('button', { name: '作成する' }).click();
      const created = page.locator('.created');
      await created.waitFor();
      const joinUrl = (await created.locator('a').nth(2).textContent()) ?? '';
      const code = joinUrl.split('/').at(-1) ?? '';
      expect(code).toMatch(/^[A-Z0-9]{6}$/);
      const stored = (await ctx.server.app.rooms.find(code))!.session;
      expect(stored.settings).toMatchObject({
        clientName: '株式会社サンプル商事',
        startsAt: '2026-12-01T14:00',
        venue: '本社 5階 大会議室',
        lecturer: '山田 太郎 弁護士',
        groups: ['1班', '2班'],
        isRehearsal: true,
        participation: 'anonymous',
        wifiName: 'SEMINAR-GUEST',
        wifiPassword: 'welcome2026',
        retentionDays: 90,
        prePost: true,
        leaderboard: 3,
        expectedParticipants: 40,
      });
      const row = page.locator(`tr[data-code="${code}"]`);
      await expect.poll(() => row.textContent()).toContain('準備中');
      await page.screenshot({ path: `${SCREENSHOT_DIR}/admin-page.png`, fullPage: true });

      const phone = await phoneContext.newPage();
      await phone.goto(`${ctx.server.baseUrl}/join/${code}`);
      await phone.getByText('2班').click();
      await phone.getByRole('button', { name: '参加する' }).click();
      await phone.getByText('講師が設問を出すまでお待ちください').waitFor();
      await expect.poll(() => row.locator('td').nth(4).textContent(), { timeout: 20_000, interval: 500 }).toBe('0');

      page.once('dialog', (dialog) => void dialog.accept());
      await row.getByRole('button', { name: '終了' }).click();
      await expect.poll(() => row.textContent()).toContain('終了');
      await phone.getByRole('heading', { name: 'このセッションは終了しました' }).waitFor();
      await phone.screenshot({ path: `${SCREENSHOT_DIR}/phone-session-ended.png` });
      await phone.reload();
      await phone.getByRole('heading', { name: 'このセッションは終了しました' }).waitFor();

      const sessionId = stored.id;
      const children = childIdsOfSession(ctx.server.dataDir, sessionId);
      page.once('dialog', (dialog) => void dialog.accept());
      await row.getByRole('button', { name: '削除' }).click();
      await row.waitFor({ state: 'detached' });
      expect(Object.values(rowsAboutSession(ctx.server.dataDir, sessionId, children)).every((count) => count === 0)).toBe(true);
      expect((await ctx.server.app.rooms.find(code))).toBeUndefined();
    } finally {
      await context.close();
      await phoneContext.close();
    }
  });
});

describe('the organizer page', () => {
  it('updates the live view in place, draws the dashboard, and prints one A4 poster per group and the report', async () => {
    const session = await createSession(ctx.server.baseUrl, {
      course: 'sample',
      title: 'カスタマーハラスメント対策研修',
      settings: { clientName: '株式会社サンプル商事', startsAt: '2026-12-01T14:00', venue: '本社 5階', lecturer: '山田 太郎', groups: ['1班', '2班'], wifiName: 'SEMINAR-GUEST', wifiPassword: 'welcome2026' },
    });
    const code = session.session.code;
    const sockets: ClientSocket[] = [];
    const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const { socket: deck } = await connectPresenter(ctx.server.baseUrl, code, session.presenterKey);
      sockets.push(deck);
      const phones = await Promise.all(
        (['あおい', undefined, 'ちひろ'] as const).map((nickname, index) => joinParticipant(ctx.server.baseUrl, code, nickname, index === 1 ? '2班' : '1班')),
      );
      sockets.push(...phones.map((phone) => phone.socket));
      const first = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));
      await Promise.all(['o', 'x', 'o'].map((choice, index) => phones[index]!.socket.emitWithAck('vote:cast', { roundId: first.roundId, choice })));
      requireOk(await deck.emitWithAck('poll:close', { roundId: first.roundId }));
      const second = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));
      await Promise.all(['x', 'x', 'o'].map((choice, index) => phones[index]!.socket.emitWithAck('vote:cast', { roundId: second.roundId, choice })));
      requireOk(await deck.emitWithAck('poll:reveal', { roundId: second.roundId }));
      const test = requireOk(await deck.emitWithAck('test:open', { kind: 'post' }));
      for (const [index, itemId] of ['t01', 't02', 't03'].entries()) {
        requireOk(await phones[0]!.socket.emitWithAck('test:answer', { runId: test.runId, itemId, choice: index === 2 ? 'x' : 'o' }));
        requireOk(await phones[1]!.socket.emitWithAck('test:answer', { runId: test.runId, itemId, choice: 'o' }));
      }
      requireOk(await deck.emitWithAck('test:close', { runId: test.runId }));

      const caseRound = requireOk(await deck.emitWithAck('poll:open', { questionId: 'case-choice' }));
      await Promise.all(['b', 'b'].map((choice, index) => phones[index]!.socket.emitWithAck('vote:cast', { roundId: caseRound.roundId, choice })));

      const page = await context.newPage();
      await page.goto(`${ctx.server.baseUrl}/organizer/${code}?view=live#key=${session.organizerKey}`);
      const joined = page.locator('[data-live="joined"]');
      await expect.poll(() => joined.textContent()).toBe('3');
      await expect.poll(() => page.locator('[data-live="rate"]').textContent()).toBe('67%');
      expect(page.url()).not.toContain(session.organizerKey);
      const handle = await joined.elementHandle();
      const latecomer = await joinParticipant(ctx.server.baseUrl, code, undefined, '2班');
      sockets.push(latecomer.socket);
      await expect.poll(() => handle?.textContent(), { timeout: 10_000, interval: 500 }).toBe('4');
      expect(await handle?.evaluate((node) => node.isConnected)).toBe(true);
      await page.screenshot({ path: `${SCREENSHOT_DIR}/organizer-live.png`, fullPage: true });

      await page.getByRole('tab', { name: '結果' }).click();
      const card = page.locator('.panel-results .question-card[data-question="q-basic"]');
      await expect.poll(() => card.textContent()).toContain('1回目 → 再投票: 66.7%（+33.3 ポイント）');
      expect(await card.locator('svg.chart rect.bar').count()).toBeGreaterThan(2);
      // The knowledge test: あおい 3 of 20 right (t01, t02 ○, t03 ×), the second phone 2 (t01, t02).
      expect(await page.locator('.panel-results .test-block h3').first().textContent()).toBe('事後：受験 2 人・平均 2.5 点・中央値 2.5 点（20点満点）');
      // 1班 (あおい, ちひろ): 5 votes, 2 correct; 2班 (one phone, and the latecomer who never voted): 3 votes, all correct.
      const groupRows = page.locator('.panel-results .groups-block tbody tr');
      await expect.poll(() => groupRows.allTextContents()).toEqual(['1班2540%', '2班23100%']);
      await page.screenshot({ path: `${SCREENSHOT_DIR}/organizer-results.png`, fullPage: true });

      await page.getByRole('tab', { name: '参加案内（ポスター）' }).click();
      await page.locator('.poster-qr').first().evaluate((image: HTMLImageElement) => image.decode());
      const posterFile = savePdf('poster.pdf', await page.pdf({ preferCSSPageSize: true, printBackground: true }));
      const posterPdf = fs.readFileSync(posterFile);
      expect(countPdfPages(posterPdf)).toBe(2);
      const posterText = pdfText(posterFile);
      for (const expected of ['1班', '2班', code, '株式会社サンプル商事 御中', 'SEMINAR-GUEST', 'welcome2026', `/join/${code}?group=1`, `/join/${code}?group=2`]) expect(posterText).toContain(expected);

      await page.getByRole('tab', { name: '報告書' }).click();
      const reportFile = savePdf('report.pdf', await page.pdf({ preferCSSPageSize: true, printBackground: true }));
      const reportText = pdfText(reportFile);
      for (const expected of ['研修実施報告書', '株式会社サンプル商事', '2026/12/01 14:00', '山田 太郎', '解説', '最初からクレーマー扱いすると二次クレームを招きます']) expect(reportText.replace(/\s+/g, ' ')).toContain(expected.replace(/\s+/g, ' '));
      await page.screenshot({ path: `${SCREENSHOT_DIR}/organizer-report.png`, fullPage: true });

      // The projector's title slide shows the session's title, client and date.
      const projector = await context.newPage();
      await projector.goto(`${ctx.server.baseUrl}/present/${code}#key=${session.presenterKey}`);
      expect(await projector.locator('.title-slide .session-line').textContent()).toBe('カスタマーハラスメント対策研修 ・ 株式会社サンプル商事 御中 ・ 2026/12/01 14:00');
      expect(await projector.locator('.title-slide .presenter').textContent()).toBe('山田 太郎');
    } finally {
      closeAll(sockets);
      await context.close();
    }
  });
});
