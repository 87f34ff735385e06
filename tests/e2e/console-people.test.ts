import { devices } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR } from '../support/browser.ts';
import { connectParticipant, joinSession, type ClientSocket } from '../support/clients.ts';
import { useServerAndBrowser } from '../support/fixtures.ts';
import { createSession } from '../support/test-app.ts';

const ctx = useServerAndBrowser();

describe('the console’s participants and the end of the session', () => {
  it('approves waiting phones, removes one with their vote, and ends the session on every phone', { timeout: 60_000 }, async () => {
    const session = await createSession(ctx.server.baseUrl, { course: 'sample', settings: { expectedParticipants: 1 } });
    const code = session.session.code;
    const joined = await Promise.all(Array.from({ length: 8 }, (_, index) => joinSession(ctx.server.baseUrl, code, `参加者${index + 1}`)));
    const sockets: ClientSocket[] = [];
    for (const entry of joined) sockets.push((await connectParticipant(ctx.server.baseUrl, code, entry.token)).socket);
    const room = (await ctx.server.app.rooms.find(code))!;
    expect(room.pendingCount).toBe(2);

    const context = await ctx.browser.newContext({ ...devices['iPhone 13'], viewport: { width: 390, height: 844 } });
    const phoneContext = await ctx.browser.newContext({ ...devices['iPhone 13'] });
    try {
      const console = await context.newPage();
      await console.goto(`${ctx.server.baseUrl}/console/${code}#key=${session.presenterKey}`);
      await console.locator('.card.people').getByText('承認待ち 2人').waitFor();
      await console.getByRole('button', { name: '承認待ちを全員承認（2人）' }).click();
      await console.locator('.card.people').getByText('参加 8人・承認待ち 0人').waitFor();
      expect(room.pendingCount).toBe(0);

      await console.getByRole('button', { name: '参加者一覧を開く' }).click();
      const row = console.locator('[data-participant-id]').filter({ hasText: '参加者3' });
      await row.getByRole('button', { name: '退出させる' }).click();
      await row.getByRole('button', { name: 'もう一度押すと退出（回答も除外）' }).click();
      await console.locator('.card.people').getByText('参加 7人・承認待ち 0人').waitFor();
      expect(room.participants.get(joined[2]!.participantId)?.status).toBe('removed');
      await console.locator('.card.people').screenshot({ path: `${SCREENSHOT_DIR}/console-people.png` });

      const phone = await phoneContext.newPage();
      await phone.goto(`${ctx.server.baseUrl}/join/${code}`);
      await phone.evaluate(({ key, token }) => localStorage.setItem(key, token), { key: `kotae:token:${code}`, token: joined[0]!.token });
      await phone.reload();
      await phone.getByText('講師が設問を出すまでお待ちください').waitFor();
      await console.getByRole('button', { name: 'この開催を終了する' }).click();
      await console.getByRole('button', { name: 'もう一度押すと終了します' }).click();
      await phone.getByText('このセッションは終了しました').waitFor();
      expect(room.session.state).toBe('ended');
      await console.getByRole('button', { name: '終了しました' }).waitFor();
    } finally {
      for (const socket of sockets) socket.disconnect();
      await context.close();
      await phoneContext.close();
    }
  });
});
