/**
 * `npm run bench`: how many people can join, and how fast their votes are counted. Starts the
 * production server as a child process on one core, plays the phones and the projector from the
 * other, and writes bench/results/<date>.json, bench/results/latest.json and the table in
 * docs/benchmarks.md. See docs/benchmarks.md for the method.
 *
 * Options: --runs=N (default 3), --only=<group id,…> (a partial run, written to bench/tmp/ instead),
 * --profile (the server writes V8 CPU profiles to bench/tmp/profiles/), --no-pin.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CSRF_TOKEN_HEADER, type AdminStatus, type CreatedSession } from '../shared/contract.ts';
import { PresenterClient } from './bench/clients.ts';
import { collectGeneratorGarbage } from './bench/generator-process.ts';
import { measurePageWeight, type PageWeight } from './bench/page-weight.ts';
import { ParticipantPool } from './bench/participant-pool.ts';
import { runReconnectStorm } from './bench/reconnect-storm.ts';
import {
  describeMachine,
  judgePageWeight,
  judgeTargets,
  toReconnectRunRecord,
  updateBenchmarksDoc,
  toVoteRunRecord,
  worstOfReconnectRuns,
  worstOfVoteRuns,
  writeResults,
  type BenchResults,
  type GroupResult,
  type ScenarioResult,
  type VoteRun,
} from './bench/report.ts';
import { SCENARIO_GROUPS, type Scenario, type ScenarioGroup } from './bench/scenarios.ts';
import { BENCH_ADMIN_PASSWORD, hasTaskset, pinThisProcess, startServer, type ServerProcess } from './bench/server-process.ts';
import { round, sleep } from './bench/stats.ts';
import { runVoteRound } from './bench/vote-round.ts';

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
  },
});
const runsPerScenario = Math.max(1, Number(args.runs) || 3);
const onlyGroups = args.only?.split(',').map((id) => id.trim());
const isPartial = onlyGroups !== undefined || runsPerScenario < 3;
const tmpDir = path.join(root, 'bench', 'tmp');

function readOxQuestionIds(): string[] {
  const questions = JSON.parse(fs.readFileSync(path.join(root, 'slides', COURSE, 'questions.json'), 'utf8')) as Array<{ id: string; kind: string }>;
  const ids = questions.filter((question) => question.kind === 'ox').map((question) => question.id);
  if (ids.length === 0) throw new Error(`course ${COURSE} has no ○× question`);
  return ids;
}

/** Logs in as the organizer (the bench server's own password) and creates a session, as the admin page does. */
async function createSession(baseUrl: string): Promise<CreatedSession> {
  const login = await fetch(`${baseUrl}/api/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ password: BENCH_ADMIN_PASSWORD }),
    signal: AbortSignal.timeout(STEP_TIMEOUT_MS),
  });
  const status = (await login.json()) as { ok: true; data: AdminStatus } | { ok: false; error: { message: string } };
  if (!status.ok || !status.data.csrfToken) throw new Error(`the bench could not log in: ${status.ok ? 'no CSRF token' : status.error.message}`);
  const response = await fetch(`${baseUrl}/api/sessions`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Cookie: (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '',
      [CSRF_TOKEN_HEADER]: status.data.csrfToken,
    },
    // The whole simulated hall is expected: no phone waits for the presenter's approval.
    body: JSON.stringify({ course: COURSE, settings: { expectedParticipants: 20_000 } }),
    signal: AbortSignal.timeout(STEP_TIMEOUT_MS),
  });
  const json = (await response.json()) as { ok: true; data: CreatedSession } | { ok: false; error: { message: string } };
  if (!json.ok) throw new Error(`the session was not created: ${json.error.message}`);
  return json.data;
}

function seedOf(text: string, run: number): number {
  let hash = 2166136261;
  for (const char of text) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  return (hash ^ run) >>> 0;
}

const log = (line: string): void => console.log(line);
const mib = (bytes: number): number => round(bytes / 1024 ** 2, 1);

function describeVoteRun(scenario: Scenario, run: number, result: VoteRun): string {
  const ack = result.ackLatencyMs;
  const checks = result.checks;
  return (
    `  ${scenario.id} #${run + 1}: push ${result.pushMs} ms, ack p50 ${ack.p50} p95 ${ack.p95} p99 ${ack.p99} max ${ack.max} ms, ` +
    `tally +${result.lastAckToTallyMs} ms, server ${result.serverCpuPerVoteUs} µs/vote, ` +
    `generator ${Math.round(result.pushGeneratorCpuShare * 100)} % (push) ${Math.round(result.generatorCpuShare * 100)} % (votes)` +
    `${result.isGeneratorBound ? ' BOUND' : ''}, loop p99 ${result.generatorLoopDelayMs.p99} ms, stolen ${result.stolenMs} ms, acks ${checks.acksOk}/${checks.votesSent}, tally ${checks.isTallyCorrect ? 'ok' : 'WRONG'}, ` +
    `db ${checks.storedRows} rows ${checks.isStoredCorrect ? 'ok' : 'WRONG'}, lost ${checks.lost}`
  );
}

interface GroupOutcome {
  group: GroupResult;
  scenarios: ScenarioResult[];
  pageWeight: PageWeight | null;
}

async function runGroup(group: ScenarioGroup, questionIds: string[], isPinned: boolean, wantsPageWeight: boolean): Promise<GroupOutcome> {
  const server: ServerProcess = await startServer({
    projectRoot: root,
    cpu: isPinned ? SERVER_CPU : null,
    cpuProfileDir: args.profile ? path.join(tmpDir, 'profiles', group.id) : undefined,
  });
  let presenter: PresenterClient | null = null;
  let pool: ParticipantPool | null = null;
  try {
    log(`\n${group.id}: server pid ${server.pid} on ${server.baseUrl} (open files ≤ ${server.openFileLimit})`);
    const session = await createSession(server.baseUrl);
    const code = session.session.code;
    const pageWeight = wantsPageWeight ? await measurePageWeight(server.baseUrl, `/join/${code}`) : null;
    presenter = await PresenterClient.connect(server.baseUrl, code, session.presenterKey);
    pool = new ParticipantPool(group.clientKind, server.baseUrl, code);
    const joinMs = await pool.join(group.participants);
    log(`  ${group.participants} joined over REST in ${Math.round(joinMs)} ms`);
    const connectMs = await pool.connectAll(STEP_TIMEOUT_MS);
    log(`  ${group.participants} connected (${group.clientKind}) and synced in ${Math.round(connectMs)} ms`);

    const scenarios: ScenarioResult[] = [];
    let questionIndex = 0;
    const nextQuestion = (): string => questionIds[questionIndex++ % questionIds.length] as string;
    // A fresh server's first round runs cold (code not yet optimized, the joins' garbage not yet
    // collected). It is reported on its own and not judged against the targets.
    collectGeneratorGarbage();
    const { finalChoices: _firstChoices, ...first } = await runVoteRound(pool, presenter, server, {
      questionId: nextQuestion(),
      windowMs: 1000,
      changeFraction: 0,
      seed: seedOf(`${group.id}-first`, 0),
      timeoutMs: STEP_TIMEOUT_MS,
    });
    const firstRound = toVoteRunRecord(first);
    log(describeVoteRun({ ...FIRST_ROUND, id: 'first round (cold)' }, 0, firstRound));
    await sleep(PAUSE_BETWEEN_RUNS_MS);
    let lastRound: { roundId: string; finalChoices: Map<string, string> } | null = null;
    let groupPeak = 0;
    for (const scenario of group.scenarios) {
      const base = { id: scenario.id, title: scenario.title, groupId: group.id, clientKind: group.clientKind, participants: group.participants };
      if (scenario.kind === 'votes') {
        const runs: VoteRun[] = [];
        for (let run = 0; run < runsPerScenario; run++) {
          collectGeneratorGarbage();
          const result = await runVoteRound(pool, presenter, server, {
            questionId: nextQuestion(),
            windowMs: scenario.windowMs,
            changeFraction: scenario.changeFraction,
            seed: seedOf(scenario.id, run),
            timeoutMs: STEP_TIMEOUT_MS,
          });
          lastRound = { roundId: result.roundId, finalChoices: result.finalChoices };
          const { finalChoices: _finalChoices, ...measured } = result;
          const record = toVoteRunRecord(measured);
          runs.push(record);
          log(describeVoteRun(scenario, run, record));
          await sleep(PAUSE_BETWEEN_RUNS_MS);
        }
        const peakRssMiB = mib(server.peakRssBytes());
        scenarios.push({ ...base, kind: 'votes', windowMs: scenario.windowMs, changeFraction: scenario.changeFraction, peakRssMiB, runs, worst: worstOfVoteRuns(runs) });
        groupPeak = Math.max(groupPeak, peakRssMiB);
      } else {
        if (!lastRound) {
          const setup = await runVoteRound(pool, presenter, server, { questionId: nextQuestion(), windowMs: 1000, changeFraction: 0, seed: 1, timeoutMs: STEP_TIMEOUT_MS });
          lastRound = { roundId: setup.roundId, finalChoices: setup.finalChoices };
        }
        const runs = [];
        for (let run = 0; run < runsPerScenario; run++) {
          collectGeneratorGarbage();
          const result = toReconnectRunRecord(
            await runReconnectStorm(pool, server, {
              roundId: lastRound.roundId,
              finalChoices: lastRound.finalChoices,
              spreadMs: scenario.spreadMs,
              seed: seedOf(scenario.id, run),
              timeoutMs: STEP_TIMEOUT_MS,
            }),
          );
          runs.push(result);
          log(
            `  ${scenario.id} #${run + 1}: all synced in ${result.allSyncedMs} ms (per phone p50 ${result.syncLatencyMs.p50} p99 ${result.syncLatencyMs.p99} ms), ` +
              `server ${result.serverCpuPerReconnectUs} µs/reconnect, generator ${Math.round(result.generatorCpuShare * 100)} %, intact ${result.intact}/${result.participants}` +
              `${result.firstFailure ? `, first failure: ${result.firstFailure}` : ''}`,
          );
          await sleep(PAUSE_BETWEEN_RUNS_MS);
        }
        const peakRssMiB = mib(server.peakRssBytes());
        scenarios.push({ ...base, kind: 'reconnect', peakRssMiB, runs, worst: worstOfReconnectRuns(runs) });
        groupPeak = Math.max(groupPeak, peakRssMiB);
      }
      server.resetPeakRss();
    }
    return {
      group: {
        id: group.id,
        clientKind: group.clientKind,
        participants: group.participants,
        joinMs: round(joinMs, 0),
        joinsPerSecond: round((group.participants * 1000) / joinMs, 0),
        connectMs: round(connectMs, 0),
        firstRound,
        peakRssMiB: groupPeak,
        openFileLimit: server.openFileLimit,
      },
      scenarios,
      pageWeight,
    };
  } finally {
    pool?.closeAll();
    presenter?.close();
    await server.stop();
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

  log('\ntargets:');
  for (const target of results.targets) {
    log(`  ${target.isMet ? 'met   ' : 'MISSED'} ${target.label}: ${target.measured ?? '—'} ${target.unit} (limit ${target.limit} ${target.unit})`);
  }
  if (results.pageWeight) {
    log(`  ${results.pageWeight.isMet ? 'met   ' : 'MISSED'} participant page: ${results.pageWeight.totalSentBytes} bytes sent compressed (limit ${results.pageWeight.limitBytes})`);
  }
  log(`\nwrote ${files.map((file) => path.relative(root, file)).join(', ')}${isPartial ? ' (partial run)' : ' and docs/benchmarks.md'} in ${results.durationS} s`);
  const isEveryVoteKept = scenarios.every((scenario) => (scenario.kind === 'votes' ? scenario.worst.isEveryCheckPassed : scenario.worst.lost === 0));
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
