/**
 * Phones on a weak network: a mid-range phone (CPU four times slower, 360×740) on congested venue
 * Wi-Fi (400 ms round trip, 1.5 Mbit/s down, 750 kbit/s up), in Chromium, against the production
 * server: how long until the ○/× buttons are usable after opening the join page, how long a pushed
 * question and a vote's ack take, and how fast the phone is back after 30 s offline. See the section
 * "Phones on a weak network" of docs/benchmarks.md.
 *
 * Standalone: `node --import tsx scripts/bench/weak-network.ts [--runs=5] [--offline-ms=30000]
 * [--network=proxy,cdp]` starts its own server, prints a table and writes bench/tmp/weak-network.json.
 * Without Chromium it says so and exits 0.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { startServer, type ServerProcess } from './server-process.ts';
import { startShapingProxy, type ShapingProxy } from './shaping-proxy.ts';
import { round, summarize } from './stats.ts';
import { runPhone, type NetworkEmulation, type PhoneProfile, type PhoneRun } from './weak-phone.ts';

/** The phone and network every run uses (Network.emulateNetworkConditions takes bytes per second). */
export const WEAK_PHONE_PROFILE: PhoneProfile = {
  link: { rttMs: 400, downloadBytesPerSecond: 1_500_000 / 8, uploadBytesPerSecond: 750_000 / 8 },
  cpuSlowdown: 4,
  viewport: { width: 360, height: 740 },
  deviceScaleFactor: 2,
};

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const COURSE = 'kasuhara';
/** Two ○× questions of the course: open when the phone joins, then pushed. */
const QUESTION_IDS: [string, string] = ['q0-1', 'q0-3'];

/** How to run the weak-network bench. */
export interface WeakNetworkOptions {
  projectRoot: string;
  /** Runs per network emulation, each with a new session and browser context (default 5). */
  runs?: number;
  /** How long the phone stays offline before it comes back (default 30 s). */
  offlineMs?: number;
  /** Which emulations to run (default both: the shaping proxy, then Chromium's own). */
  networks?: NetworkEmulation[];
  chromiumPath?: string;
  /** Upper bound of every single wait (default 60 s). */
  stepTimeoutMs?: number;
  log?: (line: string) => void;
}

/** One figure over the runs. */
export interface Figure {
  id: string;
  label: string;
  samplesMs: number[];
  medianMs: number;
  worstMs: number;
}

/** A target and whether the worst run met it. */
export interface WeakNetworkTarget {
  figureId: string;
  label: string;
  limitMs: number;
  worstMs: number;
  isMet: boolean;
}

/** The runs of one network emulation. */
export interface NetworkResult {
  network: NetworkEmulation;
  runs: PhoneRun[];
  figures: Figure[];
  targets: WeakNetworkTarget[];
  /** Every run kept the vote (the projector's tally and the reconnect snapshot). */
  isEveryVoteKept: boolean;
}

/** The weak-network bench's outcome; `skipped` when this machine has no Chromium. */
export type WeakNetworkResult =
  | { status: 'skipped'; reason: string }
  | {
      status: 'measured';
      date: string;
      profile: PhoneProfile;
      offlineMs: number;
      runsPerNetwork: number;
      durationS: number;
      networks: NetworkResult[];
    };

/** The figures reported, in table order, with how each is read from a run. */
const FIGURES: Array<{ id: string; label: string; of(run: PhoneRun): number }> = [
  { id: 'cold-first-byte', label: 'join page, first visit: first byte of the HTML', of: (run) => run.cold.firstByteMs },
  { id: 'cold-dom-content-loaded', label: 'join page, first visit: DOMContentLoaded', of: (run) => run.cold.domContentLoadedMs },
  { id: 'cold-join-form', label: 'join page, first visit: 参加する button usable', of: (run) => run.cold.joinFormMs },
  { id: 'cold-tap-to-synced', label: 'join page, first visit: tap 参加する → snapshot received', of: (run) => run.cold.tapToSyncedMs },
  { id: 'cold-tap-to-option', label: 'join page, first visit: tap 参加する → ○ usable', of: (run) => run.cold.tapToOptionMs },
  { id: 'cold-interactive', label: 'join page, first visit: ○ usable (navigation start, without the tap delay)', of: (run) => run.cold.interactiveMs },
  { id: 'cold-interactive-from-first-byte', label: 'join page, first visit: ○ usable (from the first byte)', of: (run) => run.cold.interactiveFromFirstByteMs },
  { id: 'warm-first-byte', label: 'join page, revisit: first byte of the HTML', of: (run) => run.warm.firstByteMs },
  { id: 'warm-dom-content-loaded', label: 'join page, revisit: DOMContentLoaded', of: (run) => run.warm.domContentLoadedMs },
  { id: 'warm-synced', label: 'join page, revisit: snapshot received', of: (run) => run.warm.syncedMs },
  { id: 'warm-option', label: 'join page, revisit: ○ usable', of: (run) => run.warm.optionMs },
  { id: 'push', label: 'question pushed: poll:open sent → ○ usable', of: (run) => run.pushMs },
  { id: 'vote-ack', label: 'vote: tap ○ → ✓ 回答しました', of: (run) => run.voteAckMs },
  { id: 'reconnect-attempt', label: 'back online → next connection attempt', of: (run) => run.reconnect.toAttemptMs },
  { id: 'reconnect-open', label: 'back online → WebSocket open', of: (run) => run.reconnect.toSocketOpenMs },
  { id: 'reconnect-synced', label: 'back online → snapshot received', of: (run) => run.reconnect.toSyncedMs },
  { id: 'reconnect', label: 'back online → 接続中 with the round and the vote', of: (run) => run.reconnect.toConnectedWithVoteMs },
];

/** Targets, judged on the worst run. */
const TARGETS: Array<{ figureId: string; label: string; limitMs: number }> = [
  { figureId: 'cold-interactive', label: 'join page interactive (first visit)', limitMs: 3000 },
  { figureId: 'push', label: 'a pushed question on the phone', limitMs: 1000 },
  { figureId: 'vote-ack', label: 'a vote acknowledged on the phone', limitMs: 1000 },
  { figureId: 'reconnect', label: 'back with the round and the vote after 30 s offline', limitMs: 2000 },
];

function summarizeRuns(network: NetworkEmulation, runs: PhoneRun[]): NetworkResult {
  const figures = FIGURES.map(({ id, label, of }) => {
    const samplesMs = runs.map((run) => round(of(run), 1));
    const summary = summarize(samplesMs);
    return { id, label, samplesMs, medianMs: summary.p50, worstMs: summary.max };
  });
  const targets = TARGETS.map((target) => {
    const worstMs = figures.find((figure) => figure.id === target.figureId)?.worstMs ?? Number.NaN;
    return { ...target, worstMs, isMet: worstMs <= target.limitMs };
  });
  const isEveryVoteKept = runs.every((run) => run.checks.isVoteInTally && run.checks.isVoteInSnapshot);
  return { network, runs, figures, targets, isEveryVoteKept };
}

const NETWORK_TITLES: Record<NetworkEmulation, string> = {
  proxy: 'shaping proxy (every byte delayed)',
  cdp: "Chromium's emulation (WebSocket frames not delayed)",
};

/** The figures as a markdown table: median / worst of the runs for each network emulation. */
export function formatWeakNetworkTable(result: Extract<WeakNetworkResult, { status: 'measured' }>): string {
  const head = `| figure | ${result.networks.map((network) => `${NETWORK_TITLES[network.network]}: median / worst ms`).join(' | ')} |`;
  const rule = `|---|${result.networks.map(() => '---:').join('|')}|`;
  const rows = FIGURES.map(({ id, label }) => {
    const cells = result.networks.map((network) => {
      const figure = network.figures.find((candidate) => candidate.id === id);
      return figure ? `${Math.round(figure.medianMs)} / ${Math.round(figure.worstMs)}` : '—';
    });
    return `| ${label} | ${cells.join(' | ')} |`;
  });
  const targetRows = result.networks.flatMap((network) =>
    network.targets.map(
      (target) => `| ${NETWORK_TITLES[network.network]} | ${target.label} | ≤ ${target.limitMs} ms | ${Math.round(target.worstMs)} ms | ${target.isMet ? 'met' : '**missed**'} |`,
    ),
  );
  return [head, rule, ...rows, '', '| network | target | limit | worst run | |', '|---|---|---:|---:|---|', ...targetRows].join('\n');
}

/** Runs the phones; starts and stops its own server (and proxy), and kills the browser whatever happens. */
export async function runWeakNetworkBench(options: WeakNetworkOptions): Promise<WeakNetworkResult> {
  const chromiumPath = options.chromiumPath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(chromiumPath)) return { status: 'skipped', reason: `no Chromium at ${chromiumPath} (apt-get install -y chromium)` };
  const log = options.log ?? ((line: string) => console.log(line));
  const runs = Math.max(1, options.runs ?? 5);
  const offlineMs = options.offlineMs ?? 30_000;
  const stepTimeoutMs = options.stepTimeoutMs ?? 60_000;
  const startedAt = new Date();
  let server: ServerProcess | null = null;
  let proxy: ShapingProxy | null = null;
  let browser: Browser | null = null;
  try {
    server = await startServer({ projectRoot: options.projectRoot, cpu: null });
    const serverUrl = server.baseUrl;
    proxy = await startShapingProxy({ host: new URL(serverUrl).hostname, port: Number(new URL(serverUrl).port) }, WEAK_PHONE_PROFILE.link);
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, timeout: stepTimeoutMs });
    const networks: NetworkResult[] = [];
    for (const network of options.networks ?? (['proxy', 'cdp'] as const)) {
      const phoneRuns: PhoneRun[] = [];
      for (let run = 0; run < runs; run++) {
        const measured = await runPhone({
          browser,
          serverUrl,
          phoneUrl: network === 'proxy' ? proxy.baseUrl : serverUrl,
          network,
          profile: WEAK_PHONE_PROFILE,
          course: COURSE,
          questionIds: QUESTION_IDS,
          offlineMs,
          stepTimeoutMs,
        });
        phoneRuns.push(measured);
        log(describeRun(network, run, measured));
      }
      networks.push(summarizeRuns(network, phoneRuns));
    }
    return {
      status: 'measured',
      date: startedAt.toISOString().slice(0, 10),
      profile: WEAK_PHONE_PROFILE,
      offlineMs,
      runsPerNetwork: runs,
      durationS: round((Date.now() - startedAt.getTime()) / 1000, 0),
      networks,
    };
  } finally {
    await browser?.close().catch(() => undefined);
    await proxy?.close();
    await server?.stop();
  }
}

function describeRun(network: NetworkEmulation, run: number, measured: PhoneRun): string {
  const ms = (value: number): string => `${Math.round(value)}`;
  const { cold, warm, reconnect, checks } = measured;
  return (
    `  ${network} #${run + 1}: cold first byte ${ms(cold.firstByteMs)}, form ${ms(cold.joinFormMs)}, tap→○ ${ms(cold.tapToOptionMs)}, interactive ${ms(cold.interactiveMs)} ms ` +
    `(${cold.requests} requests, ${cold.transferredBytes} B); revisit ○ ${ms(warm.optionMs)} ms; push ${ms(measured.pushMs)} ms; ack ${ms(measured.voteAckMs)} ms; ` +
    `back online → attempt ${ms(reconnect.toAttemptMs)}, open ${ms(reconnect.toSocketOpenMs)}, ○ with vote ${ms(reconnect.toConnectedWithVoteMs)} ms ` +
    `(${reconnect.attemptsWhileOffline} attempts offline); clock offset ${measured.clockOffsetMs} ± ${measured.clockUncertaintyMs} ms; ` +
    `vote kept: tally ${checks.isVoteInTally ? 'ok' : 'MISSING'}, snapshot ${checks.isVoteInSnapshot ? 'ok' : 'MISSING'}`
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      'offline-ms': { type: 'string', default: '30000' },
      network: { type: 'string', default: 'proxy,cdp' },
    },
  });
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const networks = values.network.split(',').map((name) => name.trim());
  const unknown = networks.filter((name) => name !== 'proxy' && name !== 'cdp');
  if (unknown.length > 0) throw new Error(`unknown --network ${unknown.join(', ')}: use proxy and/or cdp`);
  const result = await runWeakNetworkBench({
    projectRoot: root,
    runs: Number(values.runs) || 5,
    offlineMs: Number(values['offline-ms']) || 30_000,
    networks: networks as NetworkEmulation[],
  });
  if (result.status === 'skipped') {
    console.log(`weak-network bench skipped: ${result.reason}`);
    return;
  }
  console.log(`\n${formatWeakNetworkTable(result)}`);
  const file = path.join(root, 'bench', 'tmp', 'weak-network.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(root, file)} in ${result.durationS} s`);
  if (!result.networks.every((network) => network.isEveryVoteKept)) {
    console.error('weak-network bench: a vote was lost (see above)');
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().then(
    () => process.exit(),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
