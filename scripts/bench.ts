/**
 * `npm run bench`: how many people can join, and how fast their votes are counted. Starts the
 * production server as a child process on one core, plays the phones and the projector from the
 * other, and writes bench/results/<date>.json, bench/results/latest.json and the table in
 * docs/benchmarks.md. See docs/benchmarks.md for the method.
 *
 * Options: --runs=N (default 3), --only=<group id,…> (a partial run, written to bench/tmp/ instead),
 * --profile (the server writes V8 CPU profiles to bench/tmp/profiles/), --no-pin, --no-baseline (kotae
 * only, without the bare Socket.IO server run alternately with it).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createBenchSession } from './bench/bench-session.ts';
import { LocalGroupDriver, type GroupDriver, type GroupPlan, type VoteRunOptions } from './bench/group-driver.ts';
import { RemoteGroupDriver } from './bench/driver-process.ts';
import type { MultiSessionResult } from './bench/multi-session.ts';
import { measurePageWeight, type PageWeight } from './bench/page-weight.ts';
import type { ReconnectStormResult } from './bench/reconnect-storm.ts';
import {
  describeMachine,
  judgePageWeight,
  judgeTargets,
  renderBaselineComparison,
  updateBenchmarksDoc,
  worstOfReconnectRuns,
  worstOfSessionRuns,
  worstOfVoteRuns,
  writeResults,
  type BenchResults,
  type GroupResult,
  type Measured,
  type ReconnectWorst,
  type ScenarioResult,
  type ServerPush,
  type SessionsWorst,
  type VoteRun,
  type VoteWorst,
} from './bench/report.ts';
import { SCENARIO_GROUPS, type Scenario, type ScenarioGroup } from './bench/scenarios.ts';
import { hasTaskset, pinThisProcess, startServer, type ServerKind, type ServerProcess } from './bench/server-process.ts';
import { round, sleep } from './bench/stats.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SERVER_CPU = 0;
const GENERATOR_CPU = 1;
/** Upper bound of every single wait (a join, a round reaching the phones, the acks, a tally). */
const STEP_TIMEOUT_MS = 60_000;
/** A pause between runs so a run does not inherit the previous one's garbage collection. */
const PAUSE_BETWEEN_RUNS_MS = 500;
const COURSE = 'kasuhara';
const FIRST_ROUND: Scenario = { id: 'first', title: 'first round after start (cold)', kind: 'votes', windowMs: 1000, changeFraction: 0, spreadMs: 0 };

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
    'no-pin': { type: 'boolean', default: false },
    'no-baseline': { type: 'boolean', default: false },
  },
});
const withBaseline = !args['no-baseline'];
const runsPerScenario = Math.max(1, Number(args.runs) || 3);
const onlyGroups = args.only?.split(',').map((id) => id.trim());
const isPartial = onlyGroups !== undefined || runsPerScenario < 3 || !withBaseline;
const tmpDir = path.join(root, 'bench', 'tmp');

function readOxQuestionIds(): string[] {
  const questions = JSON.parse(fs.readFileSync(path.join(root, 'slides', COURSE, 'questions.json'), 'utf8')) as Array<{ id: string; kind: string }>;
  const ids = questions.filter((question) => question.kind === 'ox').map((question) => question.id);
  if (ids.length === 0) throw new Error(`course ${COURSE} has no ○× question`);
  return ids;
}

function seedOf(text: string, run: number): number {
  let hash = 2166136261;
  for (const char of text) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  return (hash ^ run) >>> 0;
}

const log = (line: string): void => console.log(line);
const mib = (bytes: number): number => round(bytes / 1024 ** 2, 1);

function describeVoteRun(kind: ServerKind, scenario: Scenario, run: number, result: VoteRun): string {
  const ack = result.ackLatencyMs;
  const checks = result.checks;
  const serverPush = result.serverPush?.sinceCommandMs;
  return (
    `  ${kind} ${scenario.id} #${run + 1}: push ${result.pushMs} ms (server ${serverPush ?? '—'} ms), ack p50 ${ack.p50} p95 ${ack.p95} p99 ${ack.p99} max ${ack.max} ms, ` +
    `tally +${result.lastAckToTallyMs} ms, server ${result.serverCpuPerVoteUs} µs/vote, ` +
    `generator ${Math.round(result.pushGeneratorCpuShare * 100)} % (push) ${Math.round(result.generatorCpuShare * 100)} % (votes)` +
    `${result.isGeneratorBound ? ' BOUND' : ''}, loop p99 ${result.generatorLoopDelayMs.p99} ms, stolen ${result.stolenMs} ms, acks ${checks.acksOk}/${checks.votesSent}, tally ${checks.isTallyCorrect ? 'ok' : 'WRONG'}, ` +
    `db ${checks.storedRows ?? '—'} rows ${checks.isStoredCorrect ? 'ok' : 'WRONG'}, lost ${checks.lost}`
  );
}

interface GroupOutcome {
  group: GroupResult;
  scenarios: ScenarioResult[];
  pageWeight: PageWeight | null;
}

/** One server of a group with the generator that drives it. */
interface Side {
  kind: ServerKind;
  server: ServerProcess;
  driver: GroupDriver;
}

function describeSessionsRun(kind: ServerKind, scenario: Scenario, run: number, result: MultiSessionResult): string {
  const worstP50 = Math.max(...result.steady.map((lane) => lane.ackP50Ms));
  return (
    `  ${kind} ${scenario.id} #${run + 1}: steady: per-session ack p50 ≤ ${round(worstP50)} ms, p99 ≤ ${round(result.worstSteadyP99Ms)} ms, ` +
    `${Math.round(result.steadyVotesPerSecond)} votes/s, server ${result.steadyServerCpuPerVoteUs === null ? '—' : round(result.steadyServerCpuPerVoteUs, 1)} µs/vote; ` +
    `one session bursting: the others' p99 ${round(result.othersSteadyP99Ms)} → ${round(result.othersBurstingP99Ms)} ms (${round(result.worstLift)}×), session 0's burst p99 ${round(result.oneBursting[0]?.ackP99Ms ?? 0)} ms; lost ${result.lost}`
  );
}

/** The participant page of a session of its own, for the page weight. */
async function joinPathOf(baseUrl: string): Promise<string> {
  const session = await createBenchSession(baseUrl, { course: COURSE, expectedParticipants: 20_000, timeoutMs: STEP_TIMEOUT_MS });
  return `/join/${session.session.code}`;
}

/** The question's push as the server saw it: its last round:changed. */
async function readServerPush(server: ServerProcess): Promise<ServerPush | null> {
  const push = (await server.readDiagnostics()).fanOuts.filter((sample) => sample.event === 'round:changed').at(-1);
  return push ? { recipients: push.recipients, emitMs: round(push.emitMs), sinceCommandMs: push.sinceCommandMs === null ? null : round(push.sinceCommandMs) } : null;
}

async function runVotesOn(side: Side, options: VoteRunOptions): Promise<VoteRun> {
  const run = await side.driver.runVotes(options);
  return { ...run, serverPush: await readServerPush(side.server) };
}

/** Runs `measure` once per side and run, alternating which side goes first, and collects each side's runs. */
async function alternate<Run>(sides: Side[], measure: (side: Side, run: number) => Promise<Run>): Promise<Map<ServerKind, Run[]>> {
  const runs = new Map<ServerKind, Run[]>(sides.map((side) => [side.kind, []]));
  for (let run = 0; run < runsPerScenario; run++) {
    for (const side of run % 2 === 0 ? sides : [...sides].reverse()) {
      runs.get(side.kind)?.push(await measure(side, run));
      await sleep(PAUSE_BETWEEN_RUNS_MS);
    }
  }
  return runs;
}

async function runGroup(group: ScenarioGroup, questionIds: string[], isPinned: boolean, wantsPageWeight: boolean): Promise<GroupOutcome> {
  const sides: Side[] = [];
  const plan: GroupPlan = { clientKind: group.clientKind, participants: group.participants, sessions: group.sessions ?? 1, questionIds, timeoutMs: STEP_TIMEOUT_MS };
  try {
    for (const kind of withBaseline ? (['kotae', 'baseline'] as const) : (['kotae'] as const)) {
      const server = await startServer({
        projectRoot: root,
        kind,
        cpu: isPinned ? SERVER_CPU : null,
        cpuProfileDir: args.profile && kind === 'kotae' ? path.join(tmpDir, 'profiles', group.id) : undefined,
      });
      const driver = kind === 'kotae' ? new LocalGroupDriver(server, plan) : new RemoteGroupDriver(server, plan, isPinned ? GENERATOR_CPU : null);
      sides.push({ kind, server, driver });
      log(`\n${group.id} (${kind}): server pid ${server.pid} on ${server.baseUrl} (open files ≤ ${server.openFileLimit})`);
    }
    const kotae = sides[0] as Side;
    const pageWeight = wantsPageWeight ? await measurePageWeight(kotae.server.baseUrl, await joinPathOf(kotae.server.baseUrl)) : null;
    const setUps = new Map<ServerKind, { joinMs: number; connectMs: number }>();
    for (const side of sides) {
      const setUp = await side.driver.setUp();
      setUps.set(side.kind, setUp);
      log(`  ${side.kind}: ${plan.sessions * group.participants} joined over REST in ${Math.round(setUp.joinMs)} ms, connected (${group.clientKind}) and synced in ${Math.round(setUp.connectMs)} ms`);
    }

    // A fresh server's first round runs cold (code not yet optimized, the joins' garbage not yet
    // collected). It is reported on its own and not judged against the targets.
    const firstRounds = new Map<ServerKind, VoteRun>();
    for (const side of sides) {
      const first = await runVotesOn(side, { windowMs: 1000, changeFraction: 0, seed: seedOf(`${group.id}-first`, 0) });
      firstRounds.set(side.kind, first);
      log(describeVoteRun(side.kind, { ...FIRST_ROUND, id: 'first round (cold)' }, 0, first));
      await sleep(PAUSE_BETWEEN_RUNS_MS);
    }
    const groupPeaks = new Map<ServerKind, number>();
    const peakOf = (side: Side): number => {
      const peak = mib(side.server.peakRssBytes());
      groupPeaks.set(side.kind, Math.max(groupPeaks.get(side.kind) ?? 0, peak));
      side.server.resetPeakRss();
      return peak;
    };

    const scenarios: ScenarioResult[] = [];
    for (const scenario of group.scenarios) {
      const base = { id: scenario.id, title: scenario.title, groupId: group.id, clientKind: group.clientKind, participants: group.participants };
      if (scenario.kind === 'votes') {
        const runs = await alternate(sides, async (side, run) => {
          const result = await runVotesOn(side, { windowMs: scenario.windowMs, changeFraction: scenario.changeFraction, seed: seedOf(scenario.id, run) });
          log(describeVoteRun(side.kind, scenario, run, result));
          return result;
        });
        const [own, baseline] = sides.map((side) => {
          const sideRuns = runs.get(side.kind) ?? [];
          return { runs: sideRuns, worst: worstOfVoteRuns(sideRuns), peakRssMiB: peakOf(side) };
        });
        scenarios.push({ ...base, kind: 'votes', windowMs: scenario.windowMs, changeFraction: scenario.changeFraction, ...(own as Measured<VoteRun, VoteWorst>), baseline: baseline ?? null });
      } else if (scenario.kind === 'reconnect') {
        const runs = await alternate(sides, async (side, run) => {
          const result = await side.driver.runReconnect({ spreadMs: scenario.spreadMs, seed: seedOf(scenario.id, run) });
          log(
            `  ${side.kind} ${scenario.id} #${run + 1}: all synced in ${result.allSyncedMs} ms (per phone p50 ${result.syncLatencyMs.p50} p99 ${result.syncLatencyMs.p99} ms), ` +
              `server ${result.serverCpuPerReconnectUs} µs/reconnect, generator ${Math.round(result.generatorCpuShare * 100)} %, intact ${result.intact}/${result.participants}` +
              `${result.firstFailure ? `, first failure: ${result.firstFailure}` : ''}`,
          );
          return result;
        });
        const [own, baseline] = sides.map((side) => {
          const sideRuns = runs.get(side.kind) ?? [];
          return { runs: sideRuns, worst: worstOfReconnectRuns(sideRuns), peakRssMiB: peakOf(side) };
        });
        scenarios.push({ ...base, kind: 'reconnect', ...(own as Measured<ReconnectStormResult, ReconnectWorst>), baseline: baseline ?? null });
      } else {
        const runs = await alternate(sides, async (side, run) => {
          const result = await side.driver.runSessions({ roundsPerPhase: scenario.roundsPerPhase ?? 3, seed: seedOf(scenario.id, run) });
          log(describeSessionsRun(side.kind, scenario, run, result));
          return result;
        });
        const [own, baseline] = sides.map((side) => {
          const sideRuns = runs.get(side.kind) ?? [];
          return { runs: sideRuns, worst: worstOfSessionRuns(sideRuns), peakRssMiB: peakOf(side) };
        });
        scenarios.push({ ...base, kind: 'sessions', ...(own as Measured<MultiSessionResult, SessionsWorst>), baseline: baseline ?? null });
      }
    }
    const setUpOf = (kind: ServerKind) => setUps.get(kind) ?? { joinMs: 0, connectMs: 0 };
    const joined = plan.sessions * group.participants;
    return {
      group: {
        id: group.id,
        clientKind: group.clientKind,
        participants: joined,
        joinMs: round(setUpOf('kotae').joinMs, 0),
        joinsPerSecond: round((joined * 1000) / setUpOf('kotae').joinMs, 0),
        connectMs: round(setUpOf('kotae').connectMs, 0),
        firstRound: firstRounds.get('kotae') as VoteRun,
        peakRssMiB: groupPeaks.get('kotae') ?? 0,
        openFileLimit: kotae.server.openFileLimit,
        baseline: withBaseline
          ? {
              joinMs: round(setUpOf('baseline').joinMs, 0),
              connectMs: round(setUpOf('baseline').connectMs, 0),
              firstRound: firstRounds.get('baseline') as VoteRun,
              peakRssMiB: groupPeaks.get('baseline') ?? 0,
            }
          : null,
      },
      scenarios,
      pageWeight,
    };
  } finally {
    for (const side of sides) {
      await side.driver.close();
      await side.server.stop();
    }
  }
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const isPinned = !args['no-pin'] && os.cpus().length >= 2 && hasTaskset() && pinThisProcess(GENERATOR_CPU);
  log(isPinned ? `server on core ${SERVER_CPU}, generator on core ${GENERATOR_CPU}` : 'server and generator not pinned');
  const questionIds = readOxQuestionIds();
  const groups = SCENARIO_GROUPS.filter((group) => !onlyGroups || onlyGroups.includes(group.id));
  if (groups.length === 0) throw new Error(`no group matches --only=${args.only}; groups: ${SCENARIO_GROUPS.map((group) => group.id).join(', ')}`);

  const groupResults: GroupResult[] = [];
  const scenarios: ScenarioResult[] = [];
  let pageWeight: PageWeight | null = null;
  for (const group of groups) {
    const outcome = await runGroup(group, questionIds, isPinned, pageWeight === null);
    groupResults.push(outcome.group);
    scenarios.push(...outcome.scenarios);
    pageWeight ??= outcome.pageWeight;
  }

  const results: BenchResults = {
    date: startedAt.toISOString().slice(0, 10),
    startedAt: startedAt.toISOString(),
    durationS: round((Date.now() - startedAt.getTime()) / 1000, 0),
    machine: describeMachine(isPinned),
    runsPerScenario,
    groups: groupResults,
    scenarios,
    targets: judgeTargets(scenarios),
    pageWeight: pageWeight && judgePageWeight(pageWeight),
  };
  const folder = isPartial ? tmpDir : path.join(root, 'bench', 'results');
  const files = writeResults(results, folder);
  if (!isPartial) updateBenchmarksDoc(path.join(root, 'docs', 'benchmarks.md'), results);

  log(renderBaselineComparison(results).join('\n'));
  log('\ntargets:');
  for (const target of results.targets) {
    log(`  ${target.isMet ? 'met   ' : 'MISSED'} ${target.label}: ${target.measured ?? '—'} ${target.unit} (limit ${target.limit} ${target.unit})`);
  }
  if (results.pageWeight) {
    log(`  ${results.pageWeight.isMet ? 'met   ' : 'MISSED'} participant page: ${results.pageWeight.totalSentBytes} bytes sent compressed (limit ${results.pageWeight.limitBytes})`);
  }
  log(`\nwrote ${files.map((file) => path.relative(root, file)).join(', ')}${isPartial ? ' (partial run)' : ' and docs/benchmarks.md'} in ${results.durationS} s`);
  const isEveryVoteKept = scenarios.every((scenario) => (scenario.kind === 'votes' ? scenario.worst.isEveryCheckPassed : scenario.worst.lost === 0));
  const isEveryBaselineVoteKept = scenarios.every((scenario) => !scenario.baseline || scenario.baseline.worst.lost === 0);
  if (!isEveryBaselineVoteKept) console.error('kotae bench: the baseline lost votes: the generator, not kotae, is at fault (see above)');
  if (!isEveryVoteKept) {
    console.error('kotae bench: some votes were lost or miscounted (see above)');
    process.exitCode = 1;
  }
}

main().then(
  () => process.exit(),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
