/**
 * One throttled phone in Chromium going through a participant's moments: opening the join page and
 * joining, revisiting it, receiving a pushed question, voting, and coming back after a network loss.
 * Times are taken in the page (see weak-phone-probe.ts); the one figure that starts in the bench (the
 * push) converts the page's clock to the bench's with a measured offset.
 */
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { PresenterClient } from './clients.ts';
import { createBenchSession } from './bench-session.ts';
import type { LinkProfile } from './shaping-proxy.ts';
import { PROBE_SCRIPT, type ProbeState, type WatcherName } from './weak-phone-probe.ts';
import { round, sleep } from './stats.ts';

/** How the network is slowed down: by the shaping proxy (every byte, WebSocket frames included) or by Chromium's own emulation. */
export type NetworkEmulation = 'proxy' | 'cdp';

/** The phone and its network. */
export interface PhoneProfile {
  link: LinkProfile;
  /** Chromium's CPU throttling rate: 4 runs the page four times slower than this machine. */
  cpuSlowdown: number;
  viewport: { width: number; height: number };
  deviceScaleFactor: number;
}

/** Everything one run needs. */
export interface PhoneRunOptions {
  browser: Browser;
  /** The server itself (the presenter and the session set-up are not throttled). */
  serverUrl: string;
  /** Where the phone opens the page: the server, or the shaping proxy in front of it. */
  phoneUrl: string;
  network: NetworkEmulation;
  profile: PhoneProfile;
  course: string;
  /** Two ○× questions: the first is open when the phone joins, the second is pushed. */
  questionIds: [string, string];
  offlineMs: number;
  /** Upper bound of every single wait. */
  stepTimeoutMs: number;
}

/** The first visit: empty cache, no token; the participant taps 参加する as soon as the form is there. */
export interface ColdLoad {
  /** Navigation start → first byte of the HTML (Navigation Timing responseStart). */
  firstByteMs: number;
  domContentLoadedMs: number;
  /** Navigation start → the join form's button usable. */
  joinFormMs: number;
  /** The tap on 参加する → the `participant:synced` snapshot received. */
  tapToSyncedMs: number;
  /** The tap on 参加する → the ○ button usable. */
  tapToOptionMs: number;
  /** joinFormMs + tapToOptionMs: the page's own time, without the participant's reaction. */
  interactiveMs: number;
  /** The same from the first byte. */
  interactiveFromFirstByteMs: number;
  /** Bytes over the network for the page and everything it loaded (transferSize). */
  transferredBytes: number;
  /** HTTP requests before the ○ button was usable. */
  requests: number;
}

/** The page opened again in the same browser: assets from the cache, the token from localStorage. */
export interface WarmLoad {
  firstByteMs: number;
  domContentLoadedMs: number;
  /** Navigation start → the `participant:synced` snapshot received. */
  syncedMs: number;
  /** Navigation start → the ○ button usable. */
  optionMs: number;
  transferredBytes: number;
}

/** Back online after `offlineMs` without a network. */
export interface Reconnect {
  /** The `online` event → the next WebSocket opened by the page (the client's reconnect timer). */
  toAttemptMs: number;
  /** The `online` event → that WebSocket open. */
  toSocketOpenMs: number;
  /** The `online` event → the `participant:synced` snapshot received. */
  toSyncedMs: number;
  /** The `online` event → 接続中 shown with the round and the recorded vote. */
  toConnectedWithVoteMs: number;
  /** Connection attempts the page made while offline. */
  attemptsWhileOffline: number;
}

/** What the server and the page say was kept. */
export interface PhoneRunChecks {
  /** The projector's tally counts the phone's ○ once. */
  isVoteInTally: boolean;
  /** The snapshot after the reconnect has the open round and the phone's ○. */
  isVoteInSnapshot: boolean;
}

/** One phone's run through the four moments. */
export interface PhoneRun {
  cold: ColdLoad;
  warm: WarmLoad;
  /** The presenter sends `poll:open` → the new question's ○ button usable on the phone. */
  pushMs: number;
  /** The tap on ○ → ✓ 回答しました shown (the server's ack rendered). */
  voteAckMs: number;
  reconnect: Reconnect;
  /** Page clock minus bench clock, and the uncertainty of that estimate (half the shortest round trip). */
  clockOffsetMs: number;
  clockUncertaintyMs: number;
  checks: PhoneRunChecks;
}

const readProbe = (page: Page): Promise<ProbeState> => page.evaluate('window.__kotaeProbe') as Promise<ProbeState>;
const arm = (page: Page, watcher: WatcherName, context = '{}'): Promise<unknown> => page.evaluate(`window.__kotaeProbe.arm('${watcher}', ${context})`);
const benchNow = (): number => performance.timeOrigin + performance.now();

/** Waits until the watcher has seen its condition and the next frame; returns that frame's page time. */
async function waitForWatcher(page: Page, watcher: WatcherName, timeoutMs: number): Promise<number> {
  // A function, not a string: the page's CSP forbids evaluating strings.
  await page.waitForFunction((name) => (window as unknown as { __kotaeProbe: ProbeState }).__kotaeProbe.watchers[name]?.frameAt != null, watcher, {
    timeout: timeoutMs,
    polling: 50,
  });
  const frameAt = (await readProbe(page)).watchers[watcher]?.frameAt;
  if (frameAt == null) throw new Error(`the ${watcher} watcher has no time`);
  return frameAt;
}

async function setNetwork(cdp: CDPSession, options: PhoneRunOptions, isOffline: boolean): Promise<void> {
  const link = options.profile.link;
  const isEmulated = options.network === 'cdp';
  await cdp.send('Network.emulateNetworkConditions', {
    offline: isOffline,
    latency: isEmulated ? link.rttMs : 0,
    downloadThroughput: isEmulated ? link.downloadBytesPerSecond : -1,
    uploadThroughput: isEmulated ? link.uploadBytesPerSecond : -1,
  });
}

/**
 * Page clock − bench clock. Both are wall-clock based (timeOrigin + now) on the same machine; the
 * sample with the shortest round trip bounds the error to half that round trip.
 */
async function measureClockOffset(page: Page): Promise<{ offsetMs: number; uncertaintyMs: number }> {
  let best = { offsetMs: 0, uncertaintyMs: Number.POSITIVE_INFINITY };
  for (let sample = 0; sample < 7; sample++) {
    const sentAt = benchNow();
    const pageNow = (await page.evaluate('performance.timeOrigin + performance.now()')) as number;
    const receivedAt = benchNow();
    const halfTrip = (receivedAt - sentAt) / 2;
    if (halfTrip < best.uncertaintyMs) best = { offsetMs: pageNow - (sentAt + halfTrip), uncertaintyMs: halfTrip };
  }
  return best;
}

interface NavigationFigures {
  responseStart: number;
  domContentLoadedEventStart: number;
  transferredBytes: number;
  requests: number;
}

function readNavigation(page: Page): Promise<NavigationFigures> {
  return page.evaluate(`(() => {
    const navigation = performance.getEntriesByType('navigation')[0];
    const resources = performance.getEntriesByType('resource');
    return {
      responseStart: navigation.responseStart,
      domContentLoadedEventStart: navigation.domContentLoadedEventStart,
      transferredBytes: [navigation, ...resources].reduce((sum, entry) => sum + entry.transferSize, 0),
      requests: 1 + resources.length,
    };
  })()`) as Promise<NavigationFigures>;
}

async function measureColdLoad(page: Page, joinUrl: string, timeoutMs: number): Promise<ColdLoad> {
  await page.goto(joinUrl, { timeout: timeoutMs, waitUntil: 'commit' });
  const joinFormMs = await waitForWatcher(page, 'joinFormUsable', timeoutMs);
  await page.locator('#app form.join button[type=submit]').tap({ timeout: timeoutMs });
  const optionAt = await waitForWatcher(page, 'optionUsable', timeoutMs);
  const probe = await readProbe(page);
  const tapAt = probe.taps.join;
  const syncedAt = probe.synced[0]?.at;
  if (tapAt === undefined || syncedAt === undefined) throw new Error('the join tap or the first snapshot was not seen');
  const navigation = await readNavigation(page);
  const interactiveMs = joinFormMs + (optionAt - tapAt);
  return {
    firstByteMs: navigation.responseStart,
    domContentLoadedMs: navigation.domContentLoadedEventStart,
    joinFormMs,
    tapToSyncedMs: syncedAt - tapAt,
    tapToOptionMs: optionAt - tapAt,
    interactiveMs,
    interactiveFromFirstByteMs: interactiveMs - navigation.responseStart,
    transferredBytes: navigation.transferredBytes,
    requests: navigation.requests,
  };
}

async function measureWarmLoad(page: Page, joinUrl: string, timeoutMs: number): Promise<WarmLoad> {
  await page.goto(joinUrl, { timeout: timeoutMs, waitUntil: 'commit' });
  const optionMs = await waitForWatcher(page, 'optionUsable', timeoutMs);
  const probe = await readProbe(page);
  const navigation = await readNavigation(page);
  const syncedAt = probe.synced[0]?.at;
  if (syncedAt === undefined) throw new Error('the revisit received no snapshot');
  return {
    firstByteMs: navigation.responseStart,
    domContentLoadedMs: navigation.domContentLoadedEventStart,
    syncedMs: syncedAt,
    optionMs,
    transferredBytes: navigation.transferredBytes,
  };
}

async function measureReconnect(page: Page, cdp: CDPSession, options: PhoneRunOptions): Promise<{ reconnect: Reconnect; snapshot: ProbeState['synced'][number] | undefined }> {
  await setNetwork(cdp, options, true);
  const offlineSince = performance.now();
  await page.waitForFunction(() => document.querySelector<HTMLElement>('#status')?.dataset.state === 'offline', null, { timeout: options.stepTimeoutMs, polling: 50 });
  await arm(page, 'backWithVote');
  await sleep(Math.max(0, options.offlineMs - (performance.now() - offlineSince)));
  await setNetwork(cdp, options, false);
  const backAt = await waitForWatcher(page, 'backWithVote', options.stepTimeoutMs);
  const probe = await readProbe(page);
  const onlineAt = probe.onlineAt;
  const offlineAt = probe.offlineAt;
  if (onlineAt === null || offlineAt === null) throw new Error('the page saw no offline/online events');
  const firstAfterOnline = (event: 'created' | 'open'): number => probe.sockets.find((socket) => socket.event === event && socket.at >= onlineAt)?.at ?? Number.NaN;
  const snapshot = probe.synced.find((synced) => synced.at > onlineAt);
  return {
    reconnect: {
      toAttemptMs: firstAfterOnline('created') - onlineAt,
      toSocketOpenMs: firstAfterOnline('open') - onlineAt,
      toSyncedMs: (snapshot?.at ?? Number.NaN) - onlineAt,
      toConnectedWithVoteMs: backAt - onlineAt,
      attemptsWhileOffline: probe.sockets.filter((socket) => socket.event === 'created' && socket.at > offlineAt && socket.at < onlineAt).length,
    },
    snapshot,
  };
}

async function openThrottledPage(context: BrowserContext, options: PhoneRunOptions): Promise<{ page: Page; cdp: CDPSession }> {
  await context.addInitScript({ content: PROBE_SCRIPT });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: options.profile.cpuSlowdown });
  await setNetwork(cdp, options, false);
  return { page, cdp };
}

/** A fresh session, presenter and browser context; the phone joins, revisits, gets a question, votes and reconnects. */
export async function runPhone(options: PhoneRunOptions): Promise<PhoneRun> {
  const timeoutMs = options.stepTimeoutMs;
  const session = await createBenchSession(options.serverUrl, { course: options.course, expectedParticipants: 100, timeoutMs });
  const code = session.session.code;
  const presenter = await PresenterClient.connect(options.serverUrl, code, session.presenterKey, timeoutMs);
  const context = await options.browser.newContext({
    viewport: options.profile.viewport,
    deviceScaleFactor: options.profile.deviceScaleFactor,
    isMobile: true,
    hasTouch: true,
    locale: 'ja-JP',
  });
  try {
    await presenter.openPoll(options.questionIds[0], timeoutMs);
    const { page, cdp } = await openThrottledPage(context, options);
    const joinUrl = `${options.phoneUrl}/join/${code}`;
    const cold = await measureColdLoad(page, joinUrl, timeoutMs);
    const warm = await measureWarmLoad(page, joinUrl, timeoutMs);

    const clock = await measureClockOffset(page);
    await arm(page, 'pushedOptionUsable', `{ previousPrompt: document.querySelector('#app .prompt')?.textContent ?? null }`);
    const pushSentAt = benchNow();
    const pushed = await presenter.openPoll(options.questionIds[1], timeoutMs);
    const pushedAt = await waitForWatcher(page, 'pushedOptionUsable', timeoutMs);
    const timeOrigin = (await page.evaluate('performance.timeOrigin')) as number;
    const pushMs = timeOrigin + pushedAt - clock.offsetMs - pushSentAt;

    await arm(page, 'voteRecorded');
    await page.locator('#app button.option-o').tap({ timeout: timeoutMs });
    const recordedAt = await waitForWatcher(page, 'voteRecorded', timeoutMs);
    const voteTapAt = (await readProbe(page)).taps.vote;
    if (voteTapAt === undefined) throw new Error('the tap on ○ was not seen');
    const isCountedOnce = (): Promise<boolean> =>
      presenter
        .waitForTally((tally) => tally.roundId === pushed.roundId && tally.voted === 1 && tally.counts.o === 1, timeoutMs)
        .then((tally) => tally !== null);
    const isVoteCounted = await isCountedOnce();

    const { reconnect, snapshot } = await measureReconnect(page, cdp, options);
    return {
      cold,
      warm,
      pushMs,
      voteAckMs: recordedAt - voteTapAt,
      reconnect,
      clockOffsetMs: round(clock.offsetMs, 2),
      clockUncertaintyMs: round(clock.uncertaintyMs, 2),
      checks: {
        isVoteInTally: isVoteCounted && (await isCountedOnce()),
        isVoteInSnapshot: snapshot?.roundId === pushed.roundId && snapshot.myChoice === 'o',
      },
    };
  } finally {
    await context.close().catch(() => undefined);
    presenter.close();
  }
}
