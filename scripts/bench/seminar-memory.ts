/**
 * A 3-hour seminar compressed into minutes, to see whether the server's memory stays flat and whether
 * an ended session leaves it. The production server runs as a child process (core 0, `--trace-gc`,
 * diagnostics over IPC); a session of the full variant of kasuhara gets N phones (wire client), 40 ○×
 * rounds (1 s windows, 10 % changed answers), a reconnect wave every 5 rounds, audience Q&A every 10,
 * the knowledge test, the end; then everyone leaves and the session must be unloaded. Memory is read
 * after every round: resident size (/proc), heap used, and the live heap after a full collection.
 *
 * node --import tsx scripts/bench/seminar-memory.ts [--phones=1000] [--rounds=40] [--runs=1]
 *   [--variants="none|--max-semi-space-size=32"] (server node options per variant, compared run by run)
 *   [--no-forced-gc] (no full collection between rounds: GC pauses as the seminar alone causes them)
 *   [--no-pin]
 * Writes bench/tmp/seminar-memory-<time>.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CSRF_TOKEN_HEADER, ORGANIZER_KEY_HEADER, type AdminStatus, type CreatedSession, type ParticipantTestView, type ResultsPayload } from '../../shared/contract.ts';
import { PresenterClient } from './clients.ts';
import { collectGeneratorGarbage } from './generator-process.ts';
import { GcTrace, type GcPause, type PauseSummary } from './gc-trace.ts';
import { ParticipantPool } from './participant-pool.ts';
import { runReconnectStorm } from './reconnect-storm.ts';
import { CommandPhones, ConsoleClient } from './seminar-clients.ts';
import { BENCH_ADMIN_PASSWORD, hasTaskset, pinThisProcess, readProcessMemoryBytes, startServer, type ServerProcess } from './server-process.ts';
import { createSeededRandom, mapWithConcurrency, round, sleep, waitUntil } from './stats.ts';
import { runVoteRound } from './vote-round.ts';

const COURSE = 'kasuhara';
const VARIANT = 'full';
const SERVER_CPU = 0;
const GENERATOR_CPU = 1;
const STEP_TIMEOUT_MS = 60_000;
/** The round after which memory counts as warmed up: the first reconnect wave is behind it. */
const WARM_UP_ROUNDS = 5;
/**
 * "Flat": after warm-up, the live heap never more than this share above its warm-up reading, and the
 * resident size of the last round within it too. Resident size right after a burst (a Q&A phase's
 * 2,000 reconnects) is reported as its largest reading, not judged: the allocator returns it later.
 */
const FLAT_SHARE = 0.1;
const RECONNECT_EVERY = 5;
const QA_EVERY = 10;
const QA_QUESTIONS = 20;
const QA_UPVOTES_PER_PHONE = 3;
/** The bench's unload delay of an ended session, instead of production's 60 s (checked every 5 s). */
const ENDED_UNLOAD_SECONDS = 5;
/** A reading this long after everyone left shows the session still loaded (the first sweep is 5 s away). */
const SETTLE_AFTER_LEAVING_MS = 1000;

/** What the bench runs. */
export interface SeminarMemoryOptions {
  projectRoot: string;
  phones: number;
  rounds: number;
  /** More node options of the server, e.g. ['--max-semi-space-size=32']. */
  serverNodeArgs: string[];
  /** A full collection before each reading, for the live heap; off, GC pauses are the seminar's alone. */
  isForcingGc: boolean;
  isPinned: boolean;
  log(line: string): void;
}

/** One reading of the server's memory, in MiB. */
export interface MemorySample {
  label: string;
  rssMiB: number;
  heapUsedMiB: number;
  /** Heap used after a full collection: what is really kept (null when collections are not forced). */
  liveHeapMiB: number | null;
  roomsHeld: number;
}

/** Whether memory stayed flat after warm-up (see FLAT_SHARE), against the warm-up round's reading. */
export interface Flatness {
  warmUpRound: number;
  /** The largest later reading. */
  rssGrowth: number;
  liveHeapGrowth: number | null;
  /** The last round's reading against the warm-up one. */
  rssGrowthAtEnd: number;
  liveHeapGrowthAtEnd: number | null;
  isFlat: boolean;
}

/** What one seminar measured. */
export interface SeminarMemoryResult {
  phones: number;
  rounds: number;
  serverNodeArgs: string[];
  durationS: number;
  fresh: MemorySample;
  joined: MemorySample;
  /** After each round (its reconnect wave and Q&A included). */
  perRound: MemorySample[];
  afterTest: MemorySample;
  ended: MemorySample;
  /** Everyone gone, the session still loaded. */
  left: MemorySample;
  unloaded: MemorySample;
  /** From everyone leaving until the server no longer held the session. */
  unloadedAfterMs: number;
  flatness: Flatness;
  /** Pauses of collections the seminar caused (forced ones left out), from --trace-gc. */
  gc: { scavenge: PauseSummary; markCompact: PauseSummary; longestMarkCompacts: GcPause[] };
  peakRssMiB: number;
  /** The worst ack p99 of a round's votes, ms. */
  worstVoteAckP99Ms: number;
  checks: SeminarChecks;
}

/** That nothing was lost on the way. */
export interface SeminarChecks {
  votesLost: number;
  reconnectsLost: number;
  testAnswersRefused: number;
  qaRefused: number;
  /** The results read after the session was unloaded (so from storage) have every round, score and question. */
  isReloadIntact: boolean;
}

const mib = (bytes: number): number => round(bytes / 1024 ** 2, 1);

/** Runs `start` with extra environment variables, which the server it spawns inherits. */
async function withEnvironment<T>(variables: Record<string, string>, start: () => Promise<T>): Promise<T> {
  const previous = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  Object.assign(process.env, variables);
  try {
    return await start();
  } finally {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** Logs in as the organizer and creates a session of the course's full variant for the whole hall. */
async function createSeminar(baseUrl: string): Promise<CreatedSession> {
  const login = await fetch(`${baseUrl}/api/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ password: BENCH_ADMIN_PASSWORD }),
  });
  const status = (await login.json()) as { ok: true; data: AdminStatus } | { ok: false; error: { message: string } };
  if (!status.ok || !status.data.csrfToken) throw new Error('the bench could not log in');
  const response = await fetch(`${baseUrl}/api/sessions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '', [CSRF_TOKEN_HEADER]: status.data.csrfToken },
    body: JSON.stringify({ course: COURSE, variant: VARIANT, settings: { expectedParticipants: 20_000 } }),
  });
  const json = (await response.json()) as { ok: true; data: CreatedSession } | { ok: false; error: { message: string } };
  if (!json.ok) throw new Error(`the session was not created: ${json.error.message}`);
  return json.data;
}

function readOxQuestionIds(projectRoot: string): string[] {
  const questions = JSON.parse(fs.readFileSync(path.join(projectRoot, 'slides', COURSE, 'questions.json'), 'utf8')) as Array<{ id: string; kind: string }>;
  return questions.filter((question) => question.kind === 'ox').map((question) => question.id);
}

/** Reads the server's memory; with forced collections, also the heap left after a full one. */
async function readMemory(server: ServerProcess, label: string, isForcingGc: boolean): Promise<MemorySample> {
  const rssMiB = mib(readProcessMemoryBytes(server.pid, 'VmRSS'));
  const natural = await server.readDiagnostics();
  const collected = isForcingGc ? await server.collectGarbage() : null;
  return { label, rssMiB, heapUsedMiB: mib(natural.memory.heapUsed), liveHeapMiB: collected && mib(collected.memory.heapUsed), roomsHeld: natural.roomsHeld };
}

/** Drops the pool's voting connections, runs `phase` with command phones in their place, and reconnects the pool. */
async function withCommandPhones(pool: ParticipantPool, phase: (phones: CommandPhones) => Promise<void>): Promise<void> {
  pool.dropAll();
  const phones = await CommandPhones.connect(pool.baseUrl, pool.code, pool.members, STEP_TIMEOUT_MS);
  try {
    await phase(phones);
  } finally {
    phones.close();
  }
  await pool.connectAll(STEP_TIMEOUT_MS);
}

/** Twenty phones ask a question each; every phone upvotes three of them (never its own). Answers how many were refused. */
async function runQaBurst(phones: CommandPhones, burst: number): Promise<number> {
  let refused = 0;
  const askers = Array.from({ length: QA_QUESTIONS }, (_, k) => (burst * QA_QUESTIONS + k) % phones.count);
  const questionIds: Array<string | null> = await Promise.all(
    askers.map(async (index, k) => {
      const asked = await phones.send(index, 'qa:ask', { text: `質問 ${burst + 1}-${k + 1}: 録音してもよいですか?`, withNickname: false });
      if (!asked.ok) refused += 1;
      return asked.ok ? asked.data.id : null;
    }),
  );
  await mapWithConcurrency(phones.count, phones.count, async (index) => {
    for (let n = 0; n < QA_UPVOTES_PER_PHONE; n++) {
      const k = (index + n * 7) % QA_QUESTIONS;
      const questionId = questionIds[k];
      if (!questionId || askers[k] === index) continue;
      if (!(await phones.send(index, 'qa:upvote', { questionId })).ok) refused += 1;
    }
  });
  return refused;
}

/** The knowledge test: every phone answers every item and submits. Answers how many commands were refused. */
async function runKnowledgeTest(phones: CommandPhones, presenterConsole: ConsoleClient, seed: number): Promise<number> {
  const run = await presenterConsole.send('test:open', { kind: 'post' }, STEP_TIMEOUT_MS);
  if (!(await waitUntil(() => phones.latestTestJson?.includes(run.runId) === true, STEP_TIMEOUT_MS))) throw new Error('no phone was shown the test');
  const items = (JSON.parse(phones.latestTestJson as string) as ParticipantTestView).items.map((item) => item.id);
  const random = createSeededRandom(seed);
  const choices = Array.from({ length: phones.count }, () => items.map(() => (random() < 0.7 ? 'o' : 'x') as 'o' | 'x'));
  let refused = 0;
  await mapWithConcurrency(phones.count, phones.count, async (index) => {
    for (const [n, itemId] of items.entries()) {
      if (!(await phones.send(index, 'test:answer', { runId: run.runId, itemId, choice: choices[index]![n]! })).ok) refused += 1;
    }
    if (!(await phones.send(index, 'test:submit', { runId: run.runId })).ok) refused += 1;
  });
  return refused;
}

/** Reads the results (from storage, once the session was unloaded) and checks they hold the whole seminar. */
async function isReloadIntact(baseUrl: string, session: CreatedSession, expected: { rounds: number; phones: number; questions: number }): Promise<boolean> {
  const response = await fetch(`${baseUrl}/api/sessions/${session.session.code}/results`, { headers: { [ORGANIZER_KEY_HEADER]: session.organizerKey } });
  const results = ((await response.json()) as { data: ResultsPayload }).data;
  return (
    results.session.state === 'ended' &&
    results.participants === expected.phones &&
    results.rounds.length === expected.rounds &&
    results.rounds.every((round) => round.voted === expected.phones) &&
    results.testScores.length === expected.phones &&
    results.qa.length === expected.questions
  );
}

/** Polls the server until it holds fewer rooms than `held`; false at the deadline. */
async function waitForFewerRooms(server: ServerProcess, held: number, deadline: number): Promise<boolean> {
  while (performance.now() < deadline) {
    if ((await server.readDiagnostics()).roomsHeld < held) return true;
    await sleep(100);
  }
  return false;
}

function flatnessOf(perRound: MemorySample[]): Flatness {
  const warmUp = perRound[WARM_UP_ROUNDS - 1] ?? perRound[0]!;
  const later = perRound.slice(WARM_UP_ROUNDS);
  const last = perRound.at(-1)!;
  const growth = (value: number, base: number): number => round(value / base - 1, 3);
  const rssGrowth = later.length === 0 ? 0 : growth(Math.max(...later.map((sample) => sample.rssMiB)), warmUp.rssMiB);
  const liveHeapGrowth = warmUp.liveHeapMiB === null ? null : later.length === 0 ? 0 : growth(Math.max(...later.map((sample) => sample.liveHeapMiB ?? 0)), warmUp.liveHeapMiB);
  return {
    warmUpRound: Math.min(WARM_UP_ROUNDS, perRound.length),
    rssGrowth,
    liveHeapGrowth,
    rssGrowthAtEnd: growth(last.rssMiB, warmUp.rssMiB),
    liveHeapGrowthAtEnd: warmUp.liveHeapMiB === null || last.liveHeapMiB === null ? null : growth(last.liveHeapMiB, warmUp.liveHeapMiB),
    isFlat: growth(last.rssMiB, warmUp.rssMiB) <= FLAT_SHARE && (liveHeapGrowth ?? 0) <= FLAT_SHARE,
  };
}

/** Runs one compressed seminar on a fresh server and reports its memory. */
export async function runSeminarMemoryBench(options: SeminarMemoryOptions): Promise<SeminarMemoryResult> {
  const { log, isForcingGc } = options;
  const startedAt = performance.now();
  const trace = new GcTrace();
  const server = await withEnvironment({ ENDED_SESSION_UNLOAD_SECONDS: String(ENDED_UNLOAD_SECONDS) }, () =>
    startServer({
      projectRoot: options.projectRoot,
      cpu: options.isPinned ? SERVER_CPU : null,
      extraNodeArgs: ['--trace-gc', ...options.serverNodeArgs],
      onOutput: (text) => trace.read(text),
    }),
  );
  let presenter: PresenterClient | null = null;
  let presenterConsole: ConsoleClient | null = null;
  let pool: ParticipantPool | null = null;
  try {
    const fresh = await readMemory(server, 'fresh server', isForcingGc);
    const session = await createSeminar(server.baseUrl);
    const code = session.session.code;
    presenter = await PresenterClient.connect(server.baseUrl, code, session.presenterKey);
    presenterConsole = await ConsoleClient.connect(server.baseUrl, code, session.presenterKey, STEP_TIMEOUT_MS);
    pool = new ParticipantPool('wire', server.baseUrl, code);
    await pool.join(options.phones);
    await pool.connectAll(STEP_TIMEOUT_MS);
    const joined = await readMemory(server, 'joined and connected', isForcingGc);
    log(`  ${options.phones} phones joined; rss ${joined.rssMiB} MiB, heap ${joined.heapUsedMiB} MiB, live heap ${joined.liveHeapMiB ?? '—'} MiB`);
    const gcFrom = trace.pauses.length;

    const questionIds = readOxQuestionIds(options.projectRoot);
    const checks: SeminarChecks = { votesLost: 0, reconnectsLost: 0, testAnswersRefused: 0, qaRefused: 0, isReloadIntact: false };
    const perRound: MemorySample[] = [];
    let worstVoteAckP99Ms = 0;
    let qaBursts = 0;
    for (let number = 1; number <= options.rounds; number++) {
      collectGeneratorGarbage();
      const voted = await runVoteRound(pool, presenter, server, {
        questionId: questionIds[(number - 1) % questionIds.length]!,
        windowMs: 1000,
        changeFraction: 0.1,
        seed: number,
        timeoutMs: STEP_TIMEOUT_MS,
      });
      checks.votesLost += voted.checks.lost;
      worstVoteAckP99Ms = Math.max(worstVoteAckP99Ms, voted.ackLatencyMs.p99);
      let events = '';
      if (number % RECONNECT_EVERY === 0) {
        const wave = await runReconnectStorm(pool, server, { roundId: voted.roundId, finalChoices: voted.finalChoices, spreadMs: 1000, seed: number, timeoutMs: STEP_TIMEOUT_MS });
        checks.reconnectsLost += wave.lost;
        events += `, reconnect wave ${Math.round(wave.allSyncedMs)} ms`;
      }
      if (number % QA_EVERY === 0 && number < options.rounds) {
        const burst = qaBursts++;
        await withCommandPhones(pool, async (phones) => {
          checks.qaRefused += await runQaBurst(phones, burst);
        });
        events += ', Q&A';
      }
      const sample = await readMemory(server, `round ${number}`, isForcingGc);
      perRound.push(sample);
      log(`  round ${number}: rss ${sample.rssMiB} MiB, heap ${sample.heapUsedMiB} MiB, live heap ${sample.liveHeapMiB ?? '—'} MiB, ack p99 ${round(voted.ackLatencyMs.p99, 1)} ms, lost ${voted.checks.lost}${events}`);
    }

    await withCommandPhones(pool, async (phones) => {
      checks.testAnswersRefused += await runKnowledgeTest(phones, presenterConsole!, options.rounds);
    });
    const afterTest = await readMemory(server, 'after the knowledge test', isForcingGc);
    log(`  knowledge test: ${checks.testAnswersRefused} refused; rss ${afterTest.rssMiB} MiB, live heap ${afterTest.liveHeapMiB ?? '—'} MiB`);
    await presenterConsole.send('session:end', { confirm: 'end' }, STEP_TIMEOUT_MS);
    const ended = await readMemory(server, 'ended, phones connected', isForcingGc);
    const gc = {
      scavenge: trace.summarize('scavenge', gcFrom),
      markCompact: trace.summarize('mark-compact', gcFrom),
      longestMarkCompacts: trace.pauses
        .slice(gcFrom)
        .filter((pause) => pause.kind === 'mark-compact')
        .sort((a, b) => b.pauseMs - a.pauseMs)
        .slice(0, 5),
    };

    pool.closeAll();
    presenter.close();
    presenterConsole.close();
    const leftAt = performance.now();
    await sleep(SETTLE_AFTER_LEAVING_MS);
    const left = await readMemory(server, 'everyone left', true);
    const isUnloaded = await waitForFewerRooms(server, left.roomsHeld, leftAt + STEP_TIMEOUT_MS);
    const unloadedAfterMs = Math.round(performance.now() - leftAt);
    if (!isUnloaded) throw new Error(`the ended session was still loaded ${STEP_TIMEOUT_MS} ms after everyone left`);
    const unloaded = await readMemory(server, 'session unloaded', true);
    log(`  everyone left: live heap ${left.liveHeapMiB} MiB (${left.roomsHeld} rooms); unloaded after ${unloadedAfterMs} ms: live heap ${unloaded.liveHeapMiB} MiB (${unloaded.roomsHeld} rooms), rss ${unloaded.rssMiB} MiB`);
    checks.isReloadIntact = await isReloadIntact(server.baseUrl, session, { rounds: options.rounds, phones: options.phones, questions: qaBursts * QA_QUESTIONS });

    return {
      phones: options.phones,
      rounds: options.rounds,
      serverNodeArgs: options.serverNodeArgs,
      durationS: round((performance.now() - startedAt) / 1000, 0),
      fresh,
      joined,
      perRound,
      afterTest,
      ended,
      left,
      unloaded,
      unloadedAfterMs,
      flatness: flatnessOf(perRound),
      gc,
      peakRssMiB: mib(server.peakRssBytes()),
      worstVoteAckP99Ms: round(worstVoteAckP99Ms, 1),
      checks,
    };
  } finally {
    pool?.closeAll();
    presenter?.close();
    presenterConsole?.close();
    await server.stop();
  }
}

const percent = (share: number | null): string => (share === null ? '—' : `${share >= 0 ? '+' : ''}${round(share * 100, 1)} %`);
const pauses = (summary: PauseSummary): string => `${summary.count} (max ${round(summary.maxMs, 1)} ms, total ${round(summary.totalMs, 0)} ms)`;

/** The run in a few lines: the readings that matter, the verdict, the pauses. */
export function describeSeminar(result: SeminarMemoryResult): string[] {
  const reading = (sample: MemorySample): string => `rss ${sample.rssMiB} MiB, live heap ${sample.liveHeapMiB ?? '—'} MiB (heap ${sample.heapUsedMiB}), rooms ${sample.roomsHeld}`;
  const warmUp = result.perRound[result.flatness.warmUpRound - 1];
  const { flatness, gc, checks } = result;
  return [
    `  fresh server:        ${reading(result.fresh)}`,
    `  joined:              ${reading(result.joined)}`,
    ...(warmUp ? [`  after warm-up (r${flatness.warmUpRound}):  ${reading(warmUp)}`] : []),
    `  last round:          ${reading(result.perRound.at(-1)!)}`,
    `  after the test:      ${reading(result.afterTest)}`,
    `  ended:               ${reading(result.ended)}`,
    `  everyone left:       ${reading(result.left)}`,
    `  unloaded (${result.unloadedAfterMs} ms): ${reading(result.unloaded)}`,
    `  after warm-up: live heap at most ${percent(flatness.liveHeapGrowth)} (end ${percent(flatness.liveHeapGrowthAtEnd)}), rss at the end ${percent(flatness.rssGrowthAtEnd)} (largest reading ${percent(flatness.rssGrowth)}): ${flatness.isFlat ? 'FLAT' : 'NOT FLAT'} within ${FLAT_SHARE * 100} %`,
    `  GC (seminar, forced left out): scavenges ${pauses(gc.scavenge)}, mark-compacts ${pauses(gc.markCompact)}; longest mark-compacts ${gc.longestMarkCompacts.map((pause) => `${pause.pauseMs} ms (${pause.reason})`).join(', ') || '—'}`,
    `  peak rss ${result.peakRssMiB} MiB, worst vote ack p99 ${result.worstVoteAckP99Ms} ms; lost votes ${checks.votesLost}, lost reconnects ${checks.reconnectsLost}, refused test commands ${checks.testAnswersRefused}, refused Q&A ${checks.qaRefused}, reload intact ${checks.isReloadIntact ? 'yes' : 'NO'}`,
  ];
}

/** The per-round series, ten rounds a line: rss / live heap (or heap used) in MiB. */
export function describeSeries(result: SeminarMemoryResult): string[] {
  const lines: string[] = [];
  for (let from = 0; from < result.perRound.length; from += 10) {
    const cells = result.perRound.slice(from, from + 10).map((sample) => `${sample.rssMiB}/${sample.liveHeapMiB ?? sample.heapUsedMiB}`);
    lines.push(`  r${from + 1}–${from + cells.length}: ${cells.join(' ')}`);
  }
  return lines;
}

async function main(): Promise<void> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const { values: args } = parseArgs({
    options: {
      phones: { type: 'string', default: '1000' },
      rounds: { type: 'string', default: '40' },
      runs: { type: 'string', default: '1' },
      variants: { type: 'string', default: 'none' },
      'no-forced-gc': { type: 'boolean', default: false },
      'no-pin': { type: 'boolean', default: false },
    },
  });
  const isPinned = !args['no-pin'] && os.cpus().length >= 2 && hasTaskset() && pinThisProcess(GENERATOR_CPU);
  const variants = args.variants.split('|').map((variant) => (variant.trim() === 'none' ? [] : variant.trim().split(/\s+/)));
  const runs = Math.max(1, Number(args.runs) || 1);
  const log = (line: string): void => console.log(line);
  log(isPinned ? `server on core ${SERVER_CPU}, generator on core ${GENERATOR_CPU}` : 'server and generator not pinned');
  const results: SeminarMemoryResult[] = [];
  for (let run = 1; run <= runs; run++) {
    for (const serverNodeArgs of variants) {
      log(`\nseminar run ${run}: ${args.phones} phones, ${args.rounds} rounds, server ${serverNodeArgs.join(' ') || 'as in production'}`);
      const result = await runSeminarMemoryBench({
        projectRoot: root,
        phones: Number(args.phones),
        rounds: Number(args.rounds),
        serverNodeArgs,
        isForcingGc: !args['no-forced-gc'],
        isPinned,
        log,
      });
      results.push(result);
      for (const line of [...describeSeries(result), ...describeSeminar(result)]) log(line);
    }
  }
  const folder = path.join(root, 'bench', 'tmp');
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `seminar-memory-${new Date().toISOString().replaceAll(':', '-').slice(0, 19)}.json`);
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  log(`\nwrote ${path.relative(root, file)}`);
  const isEverythingKept = results.every(({ checks }) => checks.votesLost === 0 && checks.reconnectsLost === 0 && checks.testAnswersRefused === 0 && checks.qaRefused === 0 && checks.isReloadIntact);
  if (!isEverythingKept) {
    console.error('seminar-memory: something was lost or refused (see above)');
    process.exitCode = 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    () => process.exit(),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
