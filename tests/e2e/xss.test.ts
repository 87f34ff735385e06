import { devices, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { connectParticipant, connectPresenter, joinSession, requireOk, type ClientSocket } from '../support/clients.ts';
import { useServerAndBrowser } from '../support/fixtures.ts';
import { createSession, TEST_ADMIN_PASSWORD } from '../support/test-app.ts';

const ctx = useServerAndBrowser();

/** Markup that runs script if any page inserts it as HTML; as text it is harmless. */
const payload = (max: number): string => '<img src=x onerror=__xss=1>'.slice(0, max);
const SVG_PAYLOAD = '<svg onload=__xss=1>';
/** A title that ends the join page's data block and injects markup if the server embeds it unescaped. */
const TITLE = `研修 </script>${payload(40)}`;

/** Fails when the page ran injected script or holds an element made from user text. */
async function expectInert(page: Page, where: string): Promise<void> {
  await page.waitForTimeout(300);
  const state = await page.evaluate(() => ({
    ran: (window as unknown as { __xss?: number }).__xss ?? 0,
    injected: document.querySelectorAll('img[src="x"], svg[onload], [onerror]').length,
  }));
  expect({ where, ...state }).toEqual({ where, ran: 0, injected: 0 });
}

describe('user text on every page', () => {
  it('stays text: title, client, venue, lecturer, groups, nicknames and Q&A on the phone, projector, console, organizer and admin pages', { timeout: 90_000 }, async () => {
    const session = await createSession(ctx.server.baseUrl, {
      course: 'sample',
      title: TITLE,
      settings: { clientName: payload(80), venue: payload(80), lecturer: payload(60), groups: [SVG_PAYLOAD, '2班'], leaderboard: 3 },
    });
    const code = session.session.code;
    const joined = await joinSession(ctx.server.baseUrl, code, payload(30), SVG_PAYLOAD);
    const { socket: deck } = await connectPresenter(ctx.server.baseUrl, code, session.presenterKey);
    const sockets: ClientSocket[] = [deck];
    const { socket: asker } = await connectParticipant(ctx.server.baseUrl, code, joined.token);
    sockets.push(asker);
    const question = requireOk(await asker.emitWithAck('qa:ask', { text: `質問 ${payload(40)}`, withNickname: true }));
    requireOk(await deck.emitWithAck('qa:moderate', { questionId: question.id, status: 'approved' }));
    requireOk(await deck.emitWithAck('qa:pin', { questionId: question.id, pinned: true }));
    requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));

    const phoneContext = await ctx.browser.newContext({ ...devices['iPhone 13'] });
    const desktop = await ctx.browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const phone = await phoneContext.newPage();
      await phone.goto(`${ctx.server.baseUrl}/join/${code}`);
      await phone.getByText(SVG_PAYLOAD).first().waitFor();
      expect(await phone.locator('#app .session-title').textContent()).toBe(TITLE);
      await expectInert(phone, 'join form');
      await phone.evaluate(({ key, token }) => localStorage.setItem(key, token), { key: `kotae:token:${code}`, token: joined.token });
      await phone.reload();
      await phone.getByText('クレームを受けたら').first().waitFor();
      await expectInert(phone, 'phone in the session');

      const projector = await desktop.newPage();
      await projector.goto(`${ctx.server.baseUrl}/present/${code}#key=${session.presenterKey}`);
      await projector.locator('.reveal.ready').waitFor();
      await expectInert(projector, 'projector');

      const console = await desktop.newPage();
      await console.goto(`${ctx.server.baseUrl}/console/${code}#key=${session.presenterKey}`);
      await console.getByText(`質問 ${payload(40)}`).first().waitFor();
      await console.getByRole('button', { name: '参加者一覧を開く' }).click();
      await console.getByText(payload(30)).first().waitFor();
      await expectInert(console, 'console with Q&A and the participant list');

      const organizer = await desktop.newPage();
      await organizer.goto(`${ctx.server.baseUrl}/organizer/${code}?view=live#key=${session.organizerKey}`);
      await organizer.getByRole('tab', { name: '結果' }).waitFor();
      for (const tab of ['ライブ', '結果', '参加案内（ポスター）', '報告書']) {
        await organizer.getByRole('tab', { name: tab }).click();
        await expectInert(organizer, `organizer: ${tab}`);
      }

      const admin = await desktop.newPage();
      await admin.goto(`${ctx.server.baseUrl}/admin`);
      await admin.getByLabel('管理者パスワード').fill(TEST_ADMIN_PASSWORD);
      await admin.getByRole('button', { name: 'ログイン' }).click();
      await admin.getByText(payload(80)).first().waitFor();
      await expectInert(admin, 'admin list');
    } finally {
      for (const socket of sockets) socket.disconnect();
      await phoneContext.close();
      await desktop.close();
    }
  });
});
