/**
 * bench:cluster's tables: every figure as the range over the runs (min–max), and for the engines the
 * same-run ratio PostgreSQL / SQLite, run by run, as a range too. A single figure from this shared
 * 2-core machine says little; a range and a ratio measured side by side say more.
 */
import type { EnginesResult } from './cluster-engines.ts';
import type { FailoverRun } from './cluster-failover.ts';
import type { SpreadResult, SpreadRun, SpreadSide } from './cluster-spread.ts';
import type { VoteRun } from './report.ts';
import { round } from './stats.ts';
import { GENERATOR_BOUND_SHARE } from './vote-round.ts';

/** "a–b" over the values (or the one value), with `digits` decimals; "—" when there is none. */
export function rangeOf(values: ReadonlyArray<number | null>, digits = 1): string {
  const known = values.filter((value): value is number => value !== null && Number.isFinite(value));
  if (known.length === 0) return '—';
  const low = round(Math.min(...known), digits).toFixed(digits);
  const high = round(Math.max(...known), digits).toFixed(digits);
  return low === high ? low : `${low}–${high}`;
}

/** Run i of `over` divided by run i of `under`, for every run both have. */
export function sameRunRatios(over: ReadonlyArray<number | null>, under: ReadonlyArray<number | null>): Array<number | null> {
  return over.map((value, i) => {
    const base = under[i];
    return value === null || base === null || base === undefined || base <= 0 ? null : value / base;
  });
}

/** The figures the engines table compares, taken from one run. */
const ENGINE_FIGURES: Array<{ label: string; of: (run: VoteRun) => number | null; digits: number }> = [
  { label: 'ack p50 ms', of: (run) => run.ackLatencyMs.p50, digits: 1 },
  { label: 'ack p99 ms', of: (run) => run.ackLatencyMs.p99, digits: 1 },
  { label: 'ack max ms', of: (run) => run.ackLatencyMs.max, digits: 0 },
  { label: 'server CPU / vote µs', of: (run) => run.serverCpuPerVoteUs, digits: 0 },
  { label: 'PostgreSQL CPU / vote µs', of: (run) => run.databaseCpuPerVoteUs, digits: 0 },
  { label: 'tally after last ack ms', of: (run) => run.lastAckToTallyMs, digits: 0 },
];

/** Votes missing anywhere, or stored twice, over every run of a side. */
export function problemsOf(runs: readonly VoteRun[]): { lost: number; duplicates: number; isEveryCheckPassed: boolean } {
  return {
    lost: runs.reduce((sum, run) => sum + run.checks.lost, 0),
    duplicates: runs.reduce((sum, run) => sum + run.checks.storedDuplicates, 0),
    isEveryCheckPassed: runs.every((run) => run.checks.lost === 0 && run.checks.isTallyCorrect && run.checks.isStoredCorrect),
  };
}

/** One Markdown table per phone count: SQLite range, PostgreSQL range, same-run ratio range. */
export function renderEnginesTable(results: readonly EnginesResult[]): string[] {
  const lines = [
    '| phones | figure (votes over 1 s) | SQLite | PostgreSQL | PostgreSQL / SQLite, same run |',
    '|---:|---|---:|---:|---:|',
  ];
  for (const result of results) {
    const sqlite = result.sides.find((side) => side.engine === 'sqlite')?.runs ?? [];
    const postgres = result.sides.find((side) => side.engine === 'postgres')?.runs ?? [];
    for (const figure of ENGINE_FIGURES) {
      const own = sqlite.map(figure.of);
      const other = postgres.map(figure.of);
      const ratios = rangeOf(sameRunRatios(other, own), 2);
      lines.push(`| ${result.participants.toLocaleString('en')} | ${figure.label} | ${rangeOf(own, figure.digits)} | ${rangeOf(other, figure.digits)} | ${ratios === '—' ? '—' : `${ratios}×`} |`);
    }
    const [sqliteProblems, postgresProblems] = [problemsOf(sqlite), problemsOf(postgres)];
    const describe = (problems: ReturnType<typeof problemsOf>): string =>
      `${problems.lost} lost, ${problems.duplicates} twice${problems.isEveryCheckPassed ? '' : ' ✗'}`;
    lines.push(`| ${result.participants.toLocaleString('en')} | every acked vote stored, none twice (all runs) | ${describe(sqliteProblems)} | ${describe(postgresProblems)} | |`);
    // The vote phase only: reading a question pushed to every phone at once always keeps a generator busy.
    const bound = [...sqlite, ...postgres].filter((run) => run.generatorCpuShare >= GENERATOR_BOUND_SHARE).length;
    if (bound > 0) lines.push(`| ${result.participants.toLocaleString('en')} | runs whose generator used ≥ 90 % of its core while voting ⚠ | | | ${bound} of ${sqlite.length + postgres.length} |`);
  }
  return lines;
}

/** Three nodes against one, figure by figure: ranges over the runs and the same-run ratio. */
export function renderSpreadTable(result: SpreadResult): string[] {
  const [many, one] = result.sides;
  if (!many || !one) return [];
  const figures: Array<{ label: string; of: (run: SpreadRun) => number | null; digits: number }> = [
    { label: 'acknowledged votes per second, all sessions', of: (run) => run.votesPerSecond, digits: 0 },
    { label: 'ack p50 ms', of: (run) => run.ackLatencyMs.p50, digits: 1 },
    { label: 'ack p99 ms', of: (run) => run.ackLatencyMs.p99, digits: 1 },
    { label: 'nodes\' CPU / vote µs', of: (run) => run.nodesCpuPerVoteUs, digits: 0 },
    { label: 'PostgreSQL CPU / vote µs', of: (run) => run.postgresCpuPerVoteUs, digits: 0 },
  ];
  const lines = [
    `| figure (${result.sessions} sessions × ${result.phonesPerSession.toLocaleString('en')} phones, ${result.roundsPerRun} burst rounds each) | ${many.label} | ${one.label} | ${many.label} / ${one.label}, same run |`,
    '|---|---:|---:|---:|',
  ];
  for (const figure of figures) {
    const over = many.runs.map(figure.of);
    const under = one.runs.map(figure.of);
    const ratios = rangeOf(sameRunRatios(over, under), 2);
    lines.push(`| ${figure.label} | ${rangeOf(over, figure.digits)} | ${rangeOf(under, figure.digits)} | ${ratios === '—' ? '—' : `${ratios}×`} |`);
  }
  const perNode = (side: SpreadSide): string =>
    Object.keys(side.sessionsByNode)
      .sort()
      .map((nodeId) => `${nodeId}: ${rangeOf(side.runs.map((run) => run.votesPerSecondByNode[nodeId] ?? 0), 0)}`)
      .join('; ');
  const placement = (side: SpreadSide): string =>
    Object.keys(side.sessionsByNode)
      .sort()
      .map((nodeId) => `${side.sessionsByNode[nodeId]} (${side.socketsByNode[nodeId]} sockets)`)
      .join(' / ');
  const checks = (side: SpreadSide): string => {
    const lost = side.runs.reduce((sum, run) => sum + run.lost, 0);
    const twice = side.runs.reduce((sum, run) => sum + run.duplicates, 0);
    return `${lost} lost, ${twice} twice${side.runs.every((run) => run.isEveryCheckPassed) ? '' : ' ✗'}`;
  };
  lines.push(
    `| votes per second by node | ${perNode(many)} | ${perNode(one)} | |`,
    `| sessions by node (sockets on it) | ${placement(many)} | ${placement(one)} | |`,
    `| sockets on a node that does not run their session | ${many.misplacedSockets} | ${one.misplacedSockets} | |`,
    `| every acked vote stored, none twice (all runs) | ${checks(many)} | ${checks(one)} | |`,
  );
  return lines;
}

/** Failover timings from the kill, and the checks of every vote, per session size. */
export function renderFailoverTable(runs: readonly FailoverRun[]): string[] {
  const sizes = [...new Set(runs.map((run) => run.participants))].sort((a, b) => a - b);
  const lines = [
    '| phones | runs | router marked the node down | lease free (owner dead) | lease taken | projector synced | first phone synced | last phone synced | acked before the kill: stored | resent with the same id | tapped while down | stored twice | tally = database |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const seconds = (values: Array<number | null>): string => {
    const text = rangeOf(values.map((value) => (value === null ? null : value / 1000)), 2);
    return values.some((value) => value === null) ? `${text} (✗ ${values.filter((value) => value === null).length} never)` : `${text} s`;
  };
  for (const size of sizes) {
    const of = runs.filter((run) => run.participants === size);
    const sum = (pick: (run: FailoverRun) => number): number => of.reduce((total, run) => total + pick(run), 0);
    lines.push(
      `| ${size.toLocaleString('en')} | ${of.length} | ${seconds(of.map((run) => run.timeline.routerMarkedDownMs))} | ${seconds(of.map((run) => run.timeline.leaseFreeMs))} | ` +
        `${seconds(of.map((run) => run.timeline.leaseTakenMs))} | ${seconds(of.map((run) => run.timeline.presenterSyncedMs))} | ${seconds(of.map((run) => run.timeline.firstPhoneSyncedMs))} | ` +
        `${seconds(of.map((run) => run.timeline.lastPhoneSyncedMs))} | ${sum((run) => run.votes.ackedBeforeKill - run.votes.ackedBeforeKillMissing)} of ${sum((run) => run.votes.ackedBeforeKill)} | ` +
        `${sum((run) => run.votes.resent)} | ${sum((run) => run.votes.tappedWhileDown)} | ${sum((run) => run.votes.storedTwice)} | ` +
        `${of.filter((run) => run.votes.isTallyEqualToDatabase).length} of ${of.length}${of.every((run) => run.isEveryCheckPassed) ? '' : ' ✗'} |`,
    );
  }
  return lines;
}
