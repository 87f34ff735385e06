/**
 * The pages on two real nodes behind the router (the HAProxy stand-in): a phone in Chromium and the
 * projector page stay with their session when the node running it is killed, and come back on the
 * other node with the open round and the phone's own vote.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { closeAll, requireOk, type ClientSocket } from '../support/clients.ts';
import { launchChromium, SCREENSHOT_DIR } from '../support/browser.ts';
import { followingSocket, homeOf, startProcessCluster, type ProcessCluster } from '../support/process-cluster.ts';
import { kill } from '../support/server-process.ts';
import { createSession } from '../support/test-app.ts';

let browser: Browser;
let cluster: ProcessCluster | undefined;
const contexts: BrowserContext[] = [];
const sockets: ClientSocket[] = [];
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
});
afterEach(async () => {
  closeAll(sockets.splice(0));
  for (const context of contexts.splice(0)) await context.close();
  await cluster?.close();
  cluster = undefined;
});

describe('the pages on two nodes', () => {
  it('follow their session to the other node when its node is killed, with the open round and the vote recorded', async () => {
    cluster = await startProcessCluster(2);
    const { router } = cluster;
    const created = await createSession(router.url);
    const code = created.session.code;
    const owner = cluster.node((await homeOf(router.url, code)).nodeId);

    const projectorContext = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const phoneContext = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    contexts.push(projectorContext, phoneContext);
    const projector = await projectorContext.newPage();
    const presenterPath = new URL(created.urls.presenter);
    await projector.goto(`${router.url}${presenterPath.pathname}${presenterPath.search}${presenterPath.hash}`);
    await projector.locator('.title-slide .join-code strong').getByText(code).waitFor();
    const phone = await phoneContext.newPage();
    await phone.goto(`${router.url}/join/${code}`);
    await phone.getByRole('button', { name: '参加する' }).click();
    await phone.getByText('講師が設問を出すまでお待ちください').waitFor();

    const deck = followingSocket(router.url, code, { role: 'presenter', code, key: created.presenterKey });
    sockets.push(deck);
    await new Promise((resolve) => deck.once('presenter:synced', resolve));
    const { roundId } = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-second' }));
    await phone.getByRole('button', { name: '○ 正しい' }).click();
    await phone.getByText('回答しました').waitFor();

    await kill(owner.process);
    await phone.getByText('再接続中…', { exact: true }).waitFor({ timeout: 5_000 });
    await phone.screenshot({ path: `${SCREENSHOT_DIR}/cluster-phone-reconnecting.png` });
    await projector.getByText('接続が切れました。再接続中…').waitFor({ timeout: 5_000 });

    await phone.getByText('接続中', { exact: true }).waitFor({ timeout: 15_000 });
    expect(await homeOf(router.url, code)).not.toMatchObject({ nodeId: owner.nodeId });
    await phone.getByText('回答しました').waitFor();
    await phone.screenshot({ path: `${SCREENSHOT_DIR}/cluster-phone-resynced.png` });
    await projector.getByText('接続が切れました。再接続中…').waitFor({ state: 'hidden', timeout: 15_000 });

    // The session goes on on the other node: the reveal reaches the phone.
    await expect.poll(() => deck.connected, { timeout: 15_000 }).toBe(true);
    requireOk(await deck.emitWithAck('poll:reveal', { roundId }));
    await phone.getByText('正解！').waitFor({ timeout: 5_000 });
    expect(await phone.getByText('あなたの回答: ○ 正しい').count()).toBe(1);
    await projector.screenshot({ path: `${SCREENSHOT_DIR}/cluster-projector-after-failover.png` });
  }, 90_000);
});
