/** The bench's results: the machine-readable record, the targets verdict, and the table in docs/benchmarks.md. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ClientKind } from './clients.ts';
import type { PageWeight } from './page-weight.ts';
import type { ReconnectStormResult } from './reconnect-storm.ts';
import type { MultiSessionResult } from './multi-session.ts';
import { PAGE_WEIGHT_LIMIT_BYTES, TARGETS, type Target, type TargetMetric } from './scenarios.ts';
import { round, type LatencySummary } from './stats.ts';
import type { VoteRoundResult } from './vote-round.ts';

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  kernel: string;
  /** Whether server and generator were pinned to different cores. */
  isPinned: boolean;
}

/** The push of the run's question as the server saw it (from its diagnostics). */
export interface ServerPush {
  recipients: number;
  emitMs: number;
  /** From the command arriving to the last frame written. */
  sinceCommandMs: number | null;
}

export type VoteRun = Omit<VoteRoundResult, 'roundId'> & { serverPush?: ServerPush | null };

/** The worst value of each measurement over a scenario's runs. */
export interface VoteWorst {
  pushMs: number;
  /** Command → last frame written, on the server (null when it could not be read). */
  serverPushMs: number | null;
  ackP50Ms: number;
  ackP95Ms: number;
  ackP99Ms: number;
  ackMaxMs: number;
  lastAckToTallyMs: number | null;
  serverCpuPerVoteUs: number | null;
  generatorCpuShare: number;
  isGeneratorBound: boolean;
  lost: number;
  isEveryCheckPassed: boolean;
}

/** One server's runs of a scenario. */
export interface Measured<Run, Worst> {
  runs: Run[];
  worst: Worst;
  /** VmHWM over the scenario (the first scenario of a group includes the joins and connects). */
  peakRssMiB: number;
}

interface ScenarioBase {
  id: string;
  title: string;
  groupId: string;
  clientKind: ClientKind;
  participants: number;
}

/** kotae's runs (the fields of Measured), and the bare Socket.IO server's, run alternately with them. */
export interface VoteScenarioResult extends ScenarioBase, Measured<VoteRun, VoteWorst> {
  kind: 'votes';
  windowMs: number;
  changeFraction: number;
  baseline: Measured<VoteRun, VoteWorst> | null;
}

export type ReconnectWorst = { allSyncedMs: number; syncP99Ms: number; serverCpuPerReconnectUs: number | null; lost: number; isGeneratorBound: boolean };

export interface ReconnectScenarioResult extends ScenarioBase, Measured<ReconnectStormResult, ReconnectWorst> {
  kind: 'reconnect';
  baseline: Measured<ReconnectStormResult, ReconnectWorst> | null;
}

export interface SessionsWorst {
  sessions: number;
  /** The largest lift of the other sessions' ack p99 while one session bursts. */
  burstLift: number;
  othersSteadyP99Ms: number;
  othersBurstingP99Ms: number;
  worstSteadyP99Ms: number;
  worstSteadyP50Ms: number;
  /** The slowest steady rate over the runs, all sessions together. */
  steadyVotesPerSecond: number;
  steadyServerCpuPerVoteUs: number | null;
  lost: number;
}

export interface SessionsScenarioResult extends ScenarioBase, Measured<MultiSessionResult, SessionsWorst> {
  kind: 'sessions';
  baseline: Measured<MultiSessionResult, SessionsWorst> | null;
}

export type ScenarioResult = VoteScenarioResult | ReconnectScenarioResult | SessionsScenarioResult;

export interface GroupResult {
  id: string;
  clientKind: ClientKind;
  participants: number;
  /** All REST joins, 50 in flight. */
  joinMs: number;
  joinsPerSecond: number;
  /** All WebSocket connections until every phone had its snapshot, 200 in flight. */
  connectMs: number;
  /** The server's first round after start, every phone voting over 1 s: cold, so not judged. */
  firstRound: VoteRun;
  /** VmHWM over the server's whole life. */
  peakRssMiB: number;
  openFileLimit: number;
  /** The same for the bare Socket.IO server of the group. */
  baseline: { joinMs: number; connectMs: number; firstRound: VoteRun; peakRssMiB: number } | null;
}

export interface TargetResult {
  label: string;
  limit: number;
  unit: string;
  measured: number | null;
  isMet: boolean;
}

export interface BenchResults {
  date: string;
  startedAt: string;
  durationS: number;
  machine: Machine;
  runsPerScenario: number;
  groups: GroupResult[];
  scenarios: ScenarioResult[];
  targets: TargetResult[];
  pageWeight: (PageWeight & { limitBytes: number; isMet: boolean }) | null;
}

export function describeMachine(isPinned: boolean): Machine {
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return {
    cpuModel: model.trim(),
    cores: os.cpus().length,
    memoryGiB: round(os.totalmem() / 1024 ** 3, 1),
    node: process.version,
    kernel: `${os.type()} ${os.release()}`,
    isPinned,
  };
}

const roundSummary = (summary: LatencySummary): LatencySummary => ({
  count: summary.count,
  p50: round(summary.p50),
  p95: round(summary.p95),
  p99: round(summary.p99),
  max: round(summary.max),
  mean: round(summary.mean),
});
const roundOrNull = (value: number | null, digits = 2): number | null => (value === null ? null : round(value, digits));
const worstOf = (values: number[]): number => values.reduce((worst, value) => Math.max(worst, value), Number.NEGATIVE_INFINITY);
const worstOrNull = (values: Array<number | null>): number | null =>
  values.some((value) => value === null) ? null : worstOf(values as number[]);

export function toVoteRunRecord(result: VoteRoundResult): VoteRun {
  const { roundId: _roundId, ...run } = result;
  return {
    ...run,
    pushMs: round(run.pushMs),
    pushGeneratorCpuShare: round(run.pushGeneratorCpuShare, 3),
    openAckMs: round(run.openAckMs),
    sendSpanMs: round(run.sendSpanMs),
    maxSendLagMs: round(run.maxSendLagMs),
    ackLatencyMs: roundSummary(run.ackLatencyMs),
    lastAckToTallyMs: roundOrNull(run.lastAckToTallyMs),
    votePhaseMs: round(run.votePhaseMs),
    serverCpuUs: roundOrNull(run.serverCpuUs, 0),
    serverCpuPerVoteUs: roundOrNull(run.serverCpuPerVoteUs, 1),
    databaseCpuPerVoteUs: roundOrNull(run.databaseCpuPerVoteUs, 1),
    generatorCpuShare: round(run.generatorCpuShare, 3),
    generatorLoopDelayMs: { p99: round(run.generatorLoopDelayMs.p99), max: round(run.generatorLoopDelayMs.max) },
    stolenMs: round(run.stolenMs, 0),
  };
}

export function toReconnectRunRecord(result: ReconnectStormResult): ReconnectStormResult {
  return {
    ...result,
    allSyncedMs: round(result.allSyncedMs),
    syncLatencyMs: roundSummary(result.syncLatencyMs),
    serverCpuUs: roundOrNull(result.serverCpuUs, 0),
    serverCpuPerReconnectUs: roundOrNull(result.serverCpuPerReconnectUs, 1),
    generatorCpuShare: round(result.generatorCpuShare, 3),
  };
}

export function worstOfVoteRuns(runs: VoteRun[]): VoteWorst {
  return {
    pushMs: worstOf(runs.map((run) => run.pushMs)),
    serverPushMs: worstOrNull(runs.map((run) => run.serverPush?.sinceCommandMs ?? null)),
    ackP50Ms: worstOf(runs.map((run) => run.ackLatencyMs.p50)),
    ackP95Ms: worstOf(runs.map((run) => run.ackLatencyMs.p95)),
    ackP99Ms: worstOf(runs.map((run) => run.ackLatencyMs.p99)),
    ackMaxMs: worstOf(runs.map((run) => run.ackLatencyMs.max)),
    lastAckToTallyMs: worstOrNull(runs.map((run) => run.lastAckToTallyMs)),
    serverCpuPerVoteUs: worstOrNull(runs.map((run) => run.serverCpuPerVoteUs)),
    generatorCpuShare: worstOf(runs.map((run) => Math.max(run.generatorCpuShare, run.pushGeneratorCpuShare))),
    isGeneratorBound: runs.some((run) => run.isGeneratorBound),
    lost: worstOf(runs.map((run) => run.checks.lost)),
    isEveryCheckPassed: runs.every((run) => run.checks.lost === 0 && run.checks.isTallyCorrect && run.checks.isStoredCorrect),
  };
}

export function worstOfSessionRuns(runs: MultiSessionResult[]): SessionsWorst {
  return {
    sessions: runs[0]?.sessions ?? 0,
    burstLift: round(worstOf(runs.map((run) => run.worstLift))),
    othersSteadyP99Ms: round(worstOf(runs.map((run) => run.othersSteadyP99Ms))),
    othersBurstingP99Ms: round(worstOf(runs.map((run) => run.othersBurstingP99Ms))),
    worstSteadyP99Ms: round(worstOf(runs.map((run) => run.worstSteadyP99Ms))),
    worstSteadyP50Ms: round(worstOf(runs.flatMap((run) => run.steady.map((lane) => lane.ackP50Ms)))),
    steadyVotesPerSecond: round(Math.min(...runs.map((run) => run.steadyVotesPerSecond)), 0),
    steadyServerCpuPerVoteUs: roundOrNull(worstOrNull(runs.map((run) => run.steadyServerCpuPerVoteUs)), 1),
    lost: worstOf(runs.map((run) => run.lost)),
  };
}

export function worstOfReconnectRuns(runs: ReconnectStormResult[]): ReconnectWorst {
  return {
    allSyncedMs: worstOf(runs.map((run) => run.allSyncedMs)),
    syncP99Ms: worstOf(runs.map((run) => run.syncLatencyMs.p99)),
    serverCpuPerReconnectUs: worstOrNull(runs.map((run) => run.serverCpuPerReconnectUs)),
    lost: worstOf(runs.map((run) => run.lost)),
    isGeneratorBound: runs.some((run) => run.isGeneratorBound),
  };
}

function measuredOn(measured: Measured<VoteRun, VoteWorst> | Measured<MultiSessionResult, SessionsWorst>, metric: TargetMetric): number | null {
  if (metric === 'peakRssMiB') return measured.peakRssMiB;
  if ('burstLift' in measured.worst) {
    if (metric === 'burstLift') return measured.worst.burstLift;
    return metric === 'lost' ? measured.worst.lost : null;
  }
  return metric === 'burstLift' ? null : measured.worst[metric];
}

function measuredFor(scenario: VoteScenarioResult | SessionsScenarioResult, target: Target): number | null {
  const value = measuredOn(scenario, target.metric);
  if (target.against !== 'baseline') return value;
  const baseline = scenario.baseline && measuredOn(scenario.baseline, target.metric);
  return value === null || !baseline ? null : round(value / baseline);
}

export function judgeTargets(scenarios: ScenarioResult[]): TargetResult[] {
  return TARGETS.map((target) => {
    const values = scenarios
      .filter((scenario): scenario is VoteScenarioResult | SessionsScenarioResult => scenario.kind !== 'reconnect' && target.scenarioIds.includes(scenario.id))
      .map((scenario) => measuredFor(scenario, target));
    const measured = values.length === 0 || values.some((value) => value === null) ? null : worstOf(values as number[]);
    return { label: target.label, limit: target.limit, unit: target.unit, measured, isMet: measured !== null && measured <= target.limit };
  });
}

export function judgePageWeight(weight: PageWeight): NonNullable<BenchResults['pageWeight']> {
  return { ...weight, limitBytes: PAGE_WEIGHT_LIMIT_BYTES, isMet: weight.totalSentBytes <= PAGE_WEIGHT_LIMIT_BYTES };
}

export function writeResults(results: BenchResults, folder: string): string[] {
  fs.mkdirSync(folder, { recursive: true });
  const text = `${JSON.stringify(results, null, 2)}\n`;
  const files = [path.join(folder, `${results.date}.json`), path.join(folder, 'latest.json')];
  for (const file of files) fs.writeFileSync(file, text);
  return files;
}

const ms = (value: number | null): string => (value === null ? '—' : Number.isFinite(value) ? value.toFixed(1) : 'timeout');
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
const share = (value: number): string => `${Math.round(value * 100)} %`;

/** The generated part of docs/benchmarks.md, in Markdown. */
export function renderResultsMarkdown(results: BenchResults): string {
  const { machine } = results;
  const lines: string[] = [];
  lines.push(
    `Measured ${results.date} on ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.kernel}; ` +
      `${machine.isPinned ? 'server and generator pinned to different cores' : 'not pinned'}; ` +
      `${results.runsPerScenario} runs per scenario, the worst run shown; the bench took ${Math.round(results.durationS)} s.`,
    '',
    '### Targets',
    '',
    '| target | limit | measured (worst run) | |',
    '|---|---:|---:|---|',
  );
  for (const target of results.targets) {
    lines.push(`| ${target.label} | ≤ ${target.limit} ${target.unit} | ${target.measured === null ? '—' : `${target.measured} ${target.unit}`} | ${target.isMet ? 'met' : '**missed**'} |`);
  }
  if (results.pageWeight) {
    const weight = results.pageWeight;
    lines.push(`| participant page, sent compressed | ≤ ${kib(weight.limitBytes)} | ${kib(weight.totalSentBytes)} | ${weight.isMet ? 'met' : '**missed**'} |`);
  }
  lines.push(
    '',
    '### Votes',
    '',
    'Worst of the runs for each column. Generator CPU is the load generator\'s own CPU time over the push and over the vote phase, as a share of the wall time (GC threads can take it past 100 %); ⚠: at least 90 % in some run, so the generator may have set the pace.',
    '',
    '| scenario | clients | push ms | ack p50 | p95 | p99 | max ms | tally after last ack ms | server CPU / vote µs | peak RSS MiB | lost | generator CPU push / votes |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const scenario of results.scenarios) {
    if (scenario.kind !== 'votes') continue;
    const worst = scenario.worst;
    const pushShare = worstOf(scenario.runs.map((run) => run.pushGeneratorCpuShare));
    const voteShare = worstOf(scenario.runs.map((run) => run.generatorCpuShare));
    const generator = `${share(pushShare)} / ${share(voteShare)}${worst.isGeneratorBound ? ' ⚠' : ''}`;
    lines.push(
      `| ${scenario.title} | ${scenario.clientKind} | ${ms(worst.pushMs)} | ${ms(worst.ackP50Ms)} | ${ms(worst.ackP95Ms)} | ${ms(worst.ackP99Ms)} | ${ms(worst.ackMaxMs)} | ` +
        `${ms(worst.lastAckToTallyMs)} | ${worst.serverCpuPerVoteUs ?? '—'} | ${scenario.peakRssMiB} | ${worst.lost}${worst.isEveryCheckPassed ? '' : ' ✗'} | ${generator} |`,
    );
  }
  lines.push(...renderBaselineComparison(results), ...renderSessions(results));
  lines.push('', '### Reconnect storm', '', '| scenario | all synced again ms | per phone p50 / p99 ms | server CPU / reconnect µs | peak RSS MiB | votes intact | generator CPU |', '|---|---:|---:|---:|---:|---:|---:|');
  for (const scenario of results.scenarios) {
    if (scenario.kind !== 'reconnect') continue;
    const last = scenario.runs.at(-1);
    const p50 = worstOf(scenario.runs.map((run) => run.syncLatencyMs.p50));
    const generator = worstOf(scenario.runs.map((run) => run.generatorCpuShare));
    lines.push(
      `| ${scenario.title} | ${ms(scenario.worst.allSyncedMs)} | ${ms(p50)} / ${ms(scenario.worst.syncP99Ms)} | ${scenario.worst.serverCpuPerReconnectUs ?? '—'} | ${scenario.peakRssMiB} | ` +
        `${last ? `${scenario.participants - scenario.worst.lost} / ${scenario.participants}` : '—'} | ${share(generator)}${scenario.worst.isGeneratorBound ? ' ⚠ bound' : ''} |`,
    );
  }
  lines.push(
    '',
    '### Joining, and the first round after start',
    '',
    'Each group starts a fresh server. Its first round runs cold (code not yet optimized by V8, the garbage of the joins not yet collected) and is shown here, not judged.',
    '',
    '| group | N | REST joins | joins / s | connect + snapshot | first round: ack p50 / p99 / max ms | server peak RSS MiB |',
    '|---|---:|---:|---:|---:|---:|---:|',
  );
  for (const group of results.groups) {
    const first = group.firstRound.ackLatencyMs;
    lines.push(
      `| ${group.id} | ${group.participants} | ${(group.joinMs / 1000).toFixed(1)} s | ${Math.round(group.joinsPerSecond)} | ${(group.connectMs / 1000).toFixed(1)} s | ` +
        `${ms(first.p50)} / ${ms(first.p99)} / ${ms(first.max)} | ${group.peakRssMiB} |`,
    );
  }
  if (results.pageWeight) {
    const weight = results.pageWeight;
    lines.push(
      '',
      '### Participant page',
      '',
      `\`${weight.path}\` and everything it loads. "Sent" is what the server sends to a browser that accepts gzip${weight.isServedCompressed ? ' (assets precompressed at build time)' : ' (the server sent everything uncompressed)'}; gzip -6 and brotli are computed here for comparison:`,
      '',
      '| resource | bytes | sent | gzip -6 | brotli |',
      '|---|---:|---:|---:|---:|',
    );
    for (const resource of weight.resources) {
      lines.push(`| \`${resource.path}\` | ${resource.bytes} | ${resource.sentBytes} | ${resource.gzipBytes} | ${resource.brotliBytes} |`);
    }
    lines.push(`| **total** | ${weight.totalBytes} | ${weight.totalSentBytes} | ${weight.totalGzipBytes} | ${weight.totalBrotliBytes} |`);
  }
  return lines.join('\n');
}

/** kotae / baseline / ratio, for a figure where lower is better. */
function against(kotae: number | null, baseline: number | null | undefined, format: (value: number | null) => string = ms): string {
  if (baseline === undefined) return format(kotae);
  const ratio = kotae !== null && baseline !== null && baseline > 0 ? ` / **${(kotae / baseline).toFixed(1)}×**` : '';
  return `${format(kotae)} / ${format(baseline)}${ratio}`;
}

/** kotae next to the bare Socket.IO server, scenario by scenario (also printed by the bench). */
export function renderBaselineComparison(results: BenchResults): string[] {
  const paired = results.scenarios.filter((scenario) => scenario.baseline !== null && scenario.kind !== 'sessions');
  if (paired.length === 0) return [];
  const lines = [
    '',
    '### Against a bare Socket.IO server, in the same run',
    '',
    'Each cell is kotae / the bare Socket.IO 4.8 server (same Engine.IO settings, same generator and events, no validation, no storage) / the ratio. The two servers ran alternately, run by run, so both saw the same machine; worst run of each. Push "server side" is from the command arriving to the last frame written (the server\'s own diagnostics); "at the phones" is until the last phone read it, which the one-core generator can slow down.',
    '',
    '| scenario | ack p50 ms | ack p99 ms | server CPU / vote µs | push, server side ms | push, at the phones ms | peak RSS MiB | lost |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const count = (value: number | null): string => (value === null ? '—' : String(value));
  for (const scenario of paired) {
    if (scenario.kind === 'votes') {
      const own = scenario.worst;
      const base = scenario.baseline?.worst;
      lines.push(
        `| ${scenario.title} (${scenario.clientKind}) | ${against(own.ackP50Ms, base?.ackP50Ms)} | ${against(own.ackP99Ms, base?.ackP99Ms)} | ${against(own.serverCpuPerVoteUs, base?.serverCpuPerVoteUs, count)} | ` +
          `${against(own.serverPushMs, base?.serverPushMs)} | ${against(own.pushMs, base?.pushMs)} | ${against(scenario.peakRssMiB, scenario.baseline?.peakRssMiB, count)} | ${own.lost} / ${base?.lost ?? '—'} |`,
      );
    } else if (scenario.kind === 'reconnect') {
      const base = scenario.baseline?.worst;
      lines.push(
        `| ${scenario.title}: all synced again ms | ${against(scenario.worst.allSyncedMs, base?.allSyncedMs)} | p99 per phone ${against(scenario.worst.syncP99Ms, base?.syncP99Ms)} | ` +
          `${against(scenario.worst.serverCpuPerReconnectUs, base?.serverCpuPerReconnectUs, count)} per reconnect | | | ${against(scenario.peakRssMiB, scenario.baseline?.peakRssMiB, count)} | ${scenario.worst.lost} / ${base?.lost ?? '—'} |`,
      );
    }
  }
  return lines;
}

function renderSessions(results: BenchResults): string[] {
  const lines: string[] = [];
  for (const scenario of results.scenarios) {
    if (scenario.kind !== 'sessions') continue;
    const own = scenario.worst;
    const base = scenario.baseline?.worst;
    lines.push(
      '',
      '### Many seminars at once',
      '',
      `${own.sessions} sessions of ${scenario.participants} phones on one server, each running its own rounds (votes over 1 s, then a pause of 0.3–1.5 s) at its own pace, ${scenario.runs[0]?.steady[0]?.rounds ?? '—'} rounds a phase, ${results.runsPerScenario} runs. Steady: every session votes over 1 s. Then session 0 sends every round as a burst (all its phones at once, back to back) while the others go on; the lift is the other sessions' ack p99 in that phase (all their acks together) over the same sessions' steady p99, the largest over the runs. Each cell is kotae / the bare Socket.IO server / the ratio where it means something.`,
      '',
      '| figure | kotae / baseline |',
      '|---|---:|',
      `| steady: the worst session's ack p50 ms | ${against(own.worstSteadyP50Ms, base?.worstSteadyP50Ms)} |`,
      `| steady: the worst session's ack p99 ms | ${against(own.worstSteadyP99Ms, base?.worstSteadyP99Ms)} |`,
      `| steady: votes per second, all sessions (slowest run) | ${Math.round(own.steadyVotesPerSecond)} / ${base ? Math.round(base.steadyVotesPerSecond) : '—'} |`,
      `| steady: server CPU per vote µs | ${against(own.steadyServerCpuPerVoteUs, base?.steadyServerCpuPerVoteUs, (value) => (value === null ? '—' : String(value)))} |`,
      `| the other sessions' ack p99 ms: steady | ${against(own.othersSteadyP99Ms, base?.othersSteadyP99Ms)} |`,
      `| the other sessions' ack p99 ms: while session 0 bursts | ${against(own.othersBurstingP99Ms, base?.othersBurstingP99Ms)} |`,
      `| lift of the others' p99 by one session's bursts | ${own.burstLift}× / ${base ? `${base.burstLift}×` : '—'} |`,
      `| lost votes | ${own.lost} / ${base?.lost ?? '—'} |`,
      `| server peak RSS MiB | ${scenario.peakRssMiB} / ${scenario.baseline?.peakRssMiB ?? '—'} |`,
    );
  }
  return lines;
}

const START_MARK = '<!-- bench:results:start (written by npm run bench) -->';
const END_MARK = '<!-- bench:results:end -->';

/** Replaces the generated section of the document, keeping everything written by hand around it. */
export function updateBenchmarksDoc(file: string, results: BenchResults): void {
  const generated = `${START_MARK}\n${renderResultsMarkdown(results)}\n${END_MARK}`;
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : `# Benchmarks\n\n## Latest results\n\n${START_MARK}\n${END_MARK}\n`;
  const start = current.indexOf(START_MARK);
  const end = current.indexOf(END_MARK);
  const next = start >= 0 && end > start ? current.slice(0, start) + generated + current.slice(end + END_MARK.length) : `${current.trimEnd()}\n\n${generated}\n`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, next);
}
