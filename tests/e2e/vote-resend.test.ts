import { afterAll, describe, expect, it } from 'vitest';
import { devices, type BrowserContext } from 'playwright-core';
import { connectPresenter, requireOk } from '../support/clients.ts';
import { useServerAndBrowser } from '../support/fixtures.ts';
import { countVoteEvents } from '../support/sql.ts';
import { createSession } from '../support/test-app.ts';

const ctx = useServerAndBrowser();
const contexts: BrowserContext[] = [];
afterAll(async () => {
  for (const context of contexts) await context.close();
});

describe('a vote whose answer never came', () => {
  it('is sent again after the reconnect as the same tap, with the same vote id, and recorded once', { timeout: 60_000 }, async () => {
    const session = await createSession(ctx.server.baseUrl);
    const { socket: deck } = await connectPresenter(ctx.server.baseUrl, session.session.code, session.presenterKey);
    const context = await ctx.browser.newContext({ ...devices['iPhone 13'] });
    contexts.push(context);
    // The first vote frame the page sends is lost on the way (the server never sees it); every vote frame is noted.
    await context.addInitScript({
      content: `(() => {
        const seen = { votes: [], dropped: 0 };
        window.__votes = seen;
        const Native = window.WebSocket;
        window.WebSocket = class extends Native {
          send(data) {
            if (typeof data === 'string' && data.includes('"vote:cast"')) {
              seen.votes.push(data.slice(data.indexOf('[')));
              if (seen.dropped === 0) return void (seen.dropped = 1);
            }
            return super.send(data);
          }
        };
      })();`,
    });
    const phone = await context.newPage();
    await phone.goto(`${ctx.server.baseUrl}/join/${session.session.code}`);
    await phone.getByRole('button', { name: '参加する' }).click();
    await phone.getByText('講師が設問を出すまでお待ちください').waitFor();
    const { roundId } = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));

    await phone.getByRole('button', { name: '○ 正しい' }).click();
    await phone.getByText('回答しました').waitFor({ timeout: 20_000 });

    const sent = await phone.evaluate(() => (window as unknown as { __votes: { votes: string[] } }).__votes.votes);
    const payloads = sent.map((frame) => (JSON.parse(frame) as [string, { roundId: string; choice: string; voteId: string }])[1]);
    expect(payloads).toHaveLength(2);
    expect(payloads[0]).toEqual({ roundId, choice: 'o', voteId: expect.stringMatching(/^[A-Za-z0-9_-]{16,32}$/) });
    expect(payloads[1]).toEqual(payloads[0]);
    expect(countVoteEvents(ctx.server.dataDir, roundId)).toBe(1);
    deck.disconnect();
  });
});
