/**
 * `npm run bench:cluster`: what PostgreSQL and several nodes cost, and what a dead node costs. Three
 * scenarios, each printed as a table, every vote checked (every acked vote stored, none twice):
 * - engines: the same server on SQLite and on PostgreSQL (cluster mode, one node), side by side in the
 *   same run, at 2,000 and 10,000 phones: ack latency, server and PostgreSQL CPU per vote, same-run ratios;
 * - spread: ten sessions on three nodes behind node-router, placed by `home`, phones on `node=`,
 *   against the same ten sessions on one node in the same run: acknowledged votes per second;
 * - failover: `kill -9` of the node owning a session of 300, then of 2,000 phones, mid-vote: kill →
 *   node marked down → lease free → taken → projector and first and last phone synced again elsewhere.
 *
 * Options: --only=<scenario,…> (engines, spread, failover); --runs=N (default 3: engines runs each
 * phone count N times per engine, spread N times per cluster, failover N times per size);
 * --phones=<n,…> (engines, default 2000,10000); --spread-phones=N (per session, default 500);
 * --spread-rounds=N (per session and run, default 3); --failover-phones=<n,…> (default 300,2000);
 * --no-pin. Full runs write bench/results/cluster-<date>T<hhmm>.json (UTC) and cluster-latest.json; partial ones
 * (--only, --phones or fewer than 2 runs) bench/tmp/cluster.json. docs/benchmarks.md is written by
 * hand from them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runEngines, type EnginesResult } from './cluster-engines.ts';
import { runFailover, type FailoverRun } from './cluster-failover.ts';
import { problemsOf, renderEnginesTable, renderFailoverTable, renderSpreadTable } from './cluster-report.ts';
import { runSpread, type SpreadResult } from './cluster-spread.ts';
import { describeMachine, type VoteRun } from './report.ts';
import { hasTaskset, pinThisProcess } from './server-process.ts';
import { round } from './stats.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SERVER_CPU = 0;
const GENERATOR_CPU = 1;
const STEP_TIMEOUT_MS = 60_000;
const PAUSE_BETWEEN_RUNS_MS = 500;
const COURSE = 'kasuhara';
/** The failover's votes are spread over this window; the owner dies halfway. */
const FAILOVER_WINDOW_MS = 2000;
const SCENARIOS = ['engines', 'spread', 'failover'] as const;
type ScenarioName = (typeof SCENARIOS)[number];

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    only: { type: 'string' },
    phones: { type: 'string' },
    'spread-phones': { type: 'string', default: '500' },
    'spread-rounds': { type: 'string', default: '3' },
    'failover-phones': { type: 'string', default: '300,2000' },
    'no-pin': { type: 'boolean', default: false },
  },
});
const runs = Math.max(1, Number(args.runs) || 3);
const only = args.only?.split(',').map((name) => name.trim()) ?? [...SCENARIOS];
const unknown = only.filter((name) => !(SCENARIOS as readonly string[]).includes(name));
if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}; scenarios: ${SCENARIOS.join(', ')}`);
const enginePhones = (args.phones ?? '2000,10000').split(',').map((value) => Number(value.trim()));
const spreadPhones = Math.max(1, Number(args['spread-phones']) || 500);
const spreadRounds = Math.max(1, Number(args['spread-rounds']) || 3);
const failoverPhones = args['failover-phones'].split(',').map((value) => Number(value.trim()));
const isPartial = args.only !== undefined || args.phones !== undefined || runs < 2;

const log = (line: string): void => console.log(line);

function readOxQuestionIds(): string[] {
  const questions = JSON.parse(fs.readFileSync(path.join(root, 'slides', COURSE, 'questions.json'), 'utf8')) as Array<{ id: string; kind: string }>;
  return questions.filter((question) => question.kind === 'ox').map((question) => question.id);
}

function seedOf(text: string, run: number): number {
  let hash = 2166136261;
  for (const char of text) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  return (hash ^ run) >>> 0;
}

function describeRun(label: string, run: VoteRun): string {
  const ack = run.ackLatencyMs;
  const checks = run.checks;
  return (
    `  ${label}: ack p50 ${ack.p50} p99 ${ack.p99} max ${ack.max} ms, tally +${run.lastAckToTallyMs} ms, server ${run.serverCpuPerVoteUs} µs/vote, ` +
    `PostgreSQL ${run.databaseCpuPerVoteUs ?? '—'} µs/vote, generator ${Math.round(run.pushGeneratorCpuShare * 100)} % (push) ${Math.round(run.generatorCpuShare * 100)} % (votes), ` +
    `stolen ${run.stolenMs} ms, acks ${checks.acksOk}/${checks.votesSent}, tally ${checks.isTallyCorrect ? 'ok' : 'WRONG'}, ` +
    `db ${checks.storedRows ?? '—'} rows${checks.storedDuplicates > 0 ? ` ${checks.storedDuplicates} TWICE` : ''} ${checks.isStoredCorrect ? 'ok' : 'WRONG'}, lost ${checks.lost}`
  );
}

function describeFailover(run: FailoverRun): string {
  const at = (value: number | null): string => (value === null ? 'never' : `${(value / 1000).toFixed(2)} s`);
  const { timeline, votes } = run;
  return (
    `  ${run.killedNode} killed (epoch ${run.epochBefore}) → ${run.newOwner ?? 'nobody'} (epoch ${run.epochAfter ?? '—'}): router down ${at(timeline.routerMarkedDownMs)}, ` +
    `lease free ${at(timeline.leaseFreeMs)}, taken ${at(timeline.leaseTakenMs)}, projector ${at(timeline.presenterSyncedMs)}, phones first ${at(timeline.firstPhoneSyncedMs)} ` +
    `last ${at(timeline.lastPhoneSyncedMs)} (${run.phonesResynced}/${run.participants}, ${run.resyncedNamingDeadNode} still naming the dead node); votes: acked before the kill ${votes.ackedBeforeKill} (missing ${votes.ackedBeforeKillMissing}), ` +
    `resent ${votes.resent}, tapped while down ${votes.tappedWhileDown}, acked in the end ${votes.ackedInTheEnd}, stored ${votes.storedRows} ` +
    `(wrong ${votes.storedWrongChoices}, twice ${votes.storedTwice}), refusals ${votes.refusals}, tally ${votes.isTallyEqualToDatabase ? '= database' : 'DIFFERS'}${run.isEveryCheckPassed ? '' : ' CHECK FAILED'}`
  );
}

interface ClusterBenchResults {
  date: string;
  startedAt: string;
  durationS: number;
  machine: ReturnType<typeof describeMachine>;
  runs: number;
  engines: EnginesResult[];
  spread: SpreadResult | null;
  failover: FailoverRun[];
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const isPinned = !args['no-pin'] && os.cpus().length >= 2 && hasTaskset() && pinThisProcess(GENERATOR_CPU);
  log(isPinned ? `servers on core ${SERVER_CPU}, generators and routers on core ${GENERATOR_CPU}, PostgreSQL not pinned` : 'nothing pinned');
  const questionIds = readOxQuestionIds();
  const wants = (name: ScenarioName): boolean => only.includes(name);

  const engines: EnginesResult[] = [];
  if (wants('engines')) {
    for (const participants of enginePhones) {
      engines.push(
        await runEngines({
          projectRoot: root,
          participants,
          runs,
          questionIds,
          serverCpu: isPinned ? SERVER_CPU : null,
          generatorCpu: isPinned ? GENERATOR_CPU : null,
          timeoutMs: STEP_TIMEOUT_MS,
          pauseBetweenRunsMs: PAUSE_BETWEEN_RUNS_MS,
          seedOf,
          log,
          describeRun,
        }),
      );
    }
    log(['', '### SQLite and PostgreSQL, one node each, same run', '', ...renderEnginesTable(engines)].join('\n'));
  }

  let spread: SpreadResult | null = null;
  if (wants('spread')) {
    spread = await runSpread({
      projectRoot: root,
      sessions: 10,
      phonesPerSession: spreadPhones,
      roundsPerRun: spreadRounds,
      runs,
      questionIds,
      serverCpu: isPinned ? SERVER_CPU : null,
      routerCpu: isPinned ? GENERATOR_CPU : null,
      timeoutMs: STEP_TIMEOUT_MS,
      pauseBetweenRunsMs: PAUSE_BETWEEN_RUNS_MS,
      seedOf,
      log,
    });
    log(['', '### Three nodes and one, ten sessions, same run', '', ...renderSpreadTable(spread)].join('\n'));
  }

  const failover: FailoverRun[] = [];
  if (wants('failover')) {
    for (let run = 0; run < runs; run++) {
      for (const participants of failoverPhones) {
        log(`\nfailover ${participants} #${run + 1}: three nodes, kill -9 of the owner halfway through the votes`);
        const result = await runFailover({
          projectRoot: root,
          participants,
          windowMs: FAILOVER_WINDOW_MS,
          questionId: questionIds[run % questionIds.length] as string,
          serverCpu: isPinned ? SERVER_CPU : null,
          routerCpu: isPinned ? GENERATOR_CPU : null,
          timeoutMs: STEP_TIMEOUT_MS,
          seed: seedOf(`failover-${participants}`, run),
          log,
        });
        failover.push(result);
        log(describeFailover(result));
      }
    }
    log(['', '### Failover: kill -9 of the owner mid-vote, timings from the kill', '', ...renderFailoverTable(failover)].join('\n'));
  }

  const results: ClusterBenchResults = {
    date: startedAt.toISOString().slice(0, 10),
    startedAt: startedAt.toISOString(),
    durationS: round((Date.now() - startedAt.getTime()) / 1000, 0),
    machine: describeMachine(isPinned),
    runs,
    engines,
    spread,
    failover,
  };
  const files = isPartial
    ? [path.join(root, 'bench', 'tmp', 'cluster.json')]
    : [path.join(root, 'bench', 'results', `cluster-${results.startedAt.slice(0, 16).replace(':', '')}.json`), path.join(root, 'bench', 'results', 'cluster-latest.json')];
  for (const file of files) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  }
  log(`\nwrote ${files.map((file) => path.relative(root, file)).join(', ')} in ${results.durationS} s`);

  const isEveryVoteKept =
    engines.every((result) => result.sides.every((side) => problemsOf([side.firstRound, ...side.runs]).isEveryCheckPassed)) &&
    (spread?.sides.every((side) => side.misplacedSockets === 0 && side.runs.every((run) => run.isEveryCheckPassed)) ?? true) &&
    failover.every((run) => run.isEveryCheckPassed);
  if (!isEveryVoteKept) {
    console.error('bench:cluster: a vote was lost, miscounted or stored twice (see above)');
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
