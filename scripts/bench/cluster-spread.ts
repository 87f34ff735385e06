/**
 * bench:cluster, scenario "spread": ten sessions on three nodes behind node-router, placed by `home`
 * (the fewest sessions first), every phone and projector connected with `node=<owner>`. Each session
 * runs rounds back to back, every phone voting at once (a burst), all sessions at the same time; the
 * figure is acknowledged votes per second across the three nodes, rounds' open, push and final tally
 * included. The same ten sessions on a one-node cluster run alternately with them, run by run, as the
 * same-run reference: on this machine every node shares one core, so the ratio shows what splitting
 * costs, not what more machines would bring.
 */
import { NODE_QUERY_PARAM } from '../../shared/contract.ts';
import { createBenchSession } from './bench-session.ts';
import { startBenchCluster, type BenchCluster } from './cluster-nodes.ts';
import { PresenterClient } from './clients.ts';
import { ParticipantPool } from './participant-pool.ts';
import { sleep, summarize, type LatencySummary } from './stats.ts';
import { runVoteRound, type VoteRoundResult } from './vote-round.ts';

export interface SpreadOptions {
  projectRoot: string;
  sessions: number;
  phonesPerSession: number;
  roundsPerRun: number;
  runs: number;
  questionIds: string[];
  /** The core every node is pinned to, and the one the routers are; null: not pinned. */
  serverCpu: number | null;
  routerCpu: number | null;
  timeoutMs: number;
  pauseBetweenRunsMs: number;
  seedOf(text: string, run: number): number;
  log(line: string): void;
}

/** One run of one cluster: every session's rounds, all sessions at once. */
export interface SpreadRun {
  /** Acknowledged votes over the wall time of the run. */
  votesPerSecond: number;
  /** The same per node, over the same wall time. */
  votesPerSecondByNode: Record<string, number>;
  wallMs: number;
  votes: number;
  ackLatencyMs: LatencySummary;
  /** CPU time of the nodes, and of PostgreSQL, per acknowledged vote. */
  nodesCpuPerVoteUs: number;
  postgresCpuPerVoteUs: number | null;
  lost: number;
  duplicates: number;
  isEveryCheckPassed: boolean;
}

/** One cluster of the scenario: where its sessions went and its runs. */
export interface SpreadSide {
  label: string;
  nodes: number;
  /** Sessions per node, as `home` placed them. */
  sessionsByNode: Record<string, number>;
  /** The router's open WebSockets per node once everyone connected: each session's sockets on its owner. */
  socketsByNode: Record<string, number>;
  /** Phones whose WebSocket is on a node that does not run their session (must be 0). */
  misplacedSockets: number;
  joinMs: number;
  connectMs: number;
  runs: SpreadRun[];
}

export interface SpreadResult {
  sessions: number;
  phonesPerSession: number;
  roundsPerRun: number;
  sides: SpreadSide[];
}

interface Lane {
  code: string;
  nodeId: string;
  presenter: PresenterClient;
  pool: ParticipantPool;
  nextQuestionId(): string;
}

interface LiveSide {
  side: SpreadSide;
  cluster: BenchCluster;
  lanes: Lane[];
}

const COURSE = 'kasuhara';

async function setUpSide(label: string, nodeIds: string[], options: SpreadOptions): Promise<LiveSide> {
  const cluster = await startBenchCluster({ projectRoot: options.projectRoot, nodeIds, cpu: options.serverCpu, routerCpu: options.routerCpu });
  try {
    const lanes: Lane[] = [];
    for (let i = 0; i < options.sessions; i++) {
      const created = await createBenchSession(cluster.router.url, { course: COURSE, expectedParticipants: 20_000, timeoutMs: options.timeoutMs });
      const code = created.session.code;
      const home = await cluster.homeOf(code, options.timeoutMs);
      const query = { [NODE_QUERY_PARAM]: home.nodeId };
      let questionIndex = i;
      lanes.push({
        code,
        nodeId: home.nodeId,
        presenter: await PresenterClient.connect(cluster.router.url, code, created.presenterKey, options.timeoutMs, query),
        pool: new ParticipantPool('wire', cluster.router.url, code, query),
        nextQuestionId: () => options.questionIds[questionIndex++ % options.questionIds.length] as string,
      });
    }
    const joinedAt = performance.now();
    await Promise.all(lanes.map((lane) => lane.pool.join(options.phonesPerSession)));
    const joinMs = performance.now() - joinedAt;
    const connectedAt = performance.now();
    await Promise.all(lanes.map((lane) => lane.pool.connectAll(options.timeoutMs)));
    const connectMs = performance.now() - connectedAt;

    const sessionsByNode: Record<string, number> = Object.fromEntries(nodeIds.map((id) => [id, 0]));
    const expectedSockets: Record<string, number> = Object.fromEntries(nodeIds.map((id) => [id, 0]));
    for (const lane of lanes) {
      sessionsByNode[lane.nodeId] = (sessionsByNode[lane.nodeId] ?? 0) + 1;
      expectedSockets[lane.nodeId] = (expectedSockets[lane.nodeId] ?? 0) + options.phonesPerSession + 1;
    }
    const socketsByNode = await cluster.router.openConnections();
    const misplacedSockets = nodeIds.reduce((sum, id) => sum + Math.abs((socketsByNode[id] ?? 0) - (expectedSockets[id] ?? 0)), 0) / 2;
    return { side: { label, nodes: nodeIds.length, sessionsByNode, socketsByNode, misplacedSockets, joinMs, connectMs, runs: [] }, cluster, lanes };
  } catch (error) {
    await cluster.close();
    throw error;
  }
}

async function closeSide(live: LiveSide): Promise<void> {
  for (const lane of live.lanes) {
    lane.pool.closeAll();
    lane.presenter.close();
  }
  await live.cluster.close();
}

async function runOnce(live: LiveSide, run: number, options: SpreadOptions): Promise<SpreadRun> {
  const voteStore = { engine: 'postgres', url: live.cluster.database.url } as const;
  const cpuBefore = live.cluster.cpuTimeUs();
  const startedAt = performance.now();
  const perLane = await Promise.all(
    live.lanes.map(async (lane, index) => {
      const rounds: Array<VoteRoundResult & { ackSamplesMs: Float64Array }> = [];
      for (let round = 0; round < options.roundsPerRun; round++) {
        rounds.push(
          await runVoteRound(lane.pool, lane.presenter, { voteStore }, {
            questionId: lane.nextQuestionId(),
            windowMs: 0,
            changeFraction: 0,
            seed: options.seedOf(`spread-${index}-${round}`, run),
            timeoutMs: options.timeoutMs,
          }),
        );
      }
      return rounds;
    }),
  );
  const wallMs = performance.now() - startedAt;
  const cpuAfter = live.cluster.cpuTimeUs();
  const rounds = perLane.flat();
  const votes = rounds.reduce((sum, round) => sum + round.checks.acksOk, 0);
  const votesByNode: Record<string, number> = {};
  for (const [index, laneRounds] of perLane.entries()) {
    const nodeId = live.lanes[index]?.nodeId ?? '?';
    votesByNode[nodeId] = (votesByNode[nodeId] ?? 0) + laneRounds.reduce((sum, round) => sum + round.checks.acksOk, 0);
  }
  const samples = new Float64Array(rounds.reduce((sum, round) => sum + round.ackSamplesMs.length, 0));
  let offset = 0;
  for (const round of rounds) {
    samples.set(round.ackSamplesMs, offset);
    offset += round.ackSamplesMs.length;
  }
  const postgresUs = cpuAfter.postgresUs === null || cpuBefore.postgresUs === null ? null : cpuAfter.postgresUs - cpuBefore.postgresUs;
  return {
    votesPerSecond: (votes * 1000) / wallMs,
    votesPerSecondByNode: Object.fromEntries(Object.entries(votesByNode).map(([nodeId, count]) => [nodeId, (count * 1000) / wallMs])),
    wallMs,
    votes,
    ackLatencyMs: summarize(samples),
    nodesCpuPerVoteUs: (cpuAfter.nodesUs - cpuBefore.nodesUs) / Math.max(votes, 1),
    postgresCpuPerVoteUs: postgresUs === null ? null : postgresUs / Math.max(votes, 1),
    lost: rounds.reduce((sum, round) => sum + round.checks.lost, 0),
    duplicates: rounds.reduce((sum, round) => sum + round.checks.storedDuplicates, 0),
    isEveryCheckPassed: rounds.every((round) => round.checks.lost === 0 && round.checks.isTallyCorrect && round.checks.isStoredCorrect),
  };
}

function describeRun(label: string, run: number, result: SpreadRun): string {
  const byNode = Object.entries(result.votesPerSecondByNode)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([nodeId, rate]) => `${nodeId} ${Math.round(rate)}`)
    .join(', ');
  return (
    `  ${label} #${run + 1}: ${Math.round(result.votesPerSecond)} votes/s (${byNode}) over ${Math.round(result.wallMs)} ms, ack p50 ${result.ackLatencyMs.p50.toFixed(1)} ` +
    `p99 ${result.ackLatencyMs.p99.toFixed(1)} ms, nodes ${result.nodesCpuPerVoteUs.toFixed(0)} µs/vote, PostgreSQL ${result.postgresCpuPerVoteUs?.toFixed(0) ?? '—'} µs/vote, ` +
    `lost ${result.lost}, twice ${result.duplicates}${result.isEveryCheckPassed ? '' : ' CHECK FAILED'}`
  );
}

export async function runSpread(options: SpreadOptions): Promise<SpreadResult> {
  const live: LiveSide[] = [];
  try {
    for (const [label, nodeIds] of [
      ['3 nodes', ['kotae-1', 'kotae-2', 'kotae-3']],
      ['1 node', ['kotae-solo']],
    ] as const) {
      const side = await setUpSide(label, [...nodeIds], options);
      live.push(side);
      const { sessionsByNode, socketsByNode } = side.side;
      options.log(
        `\nspread (${label}): ${options.sessions} sessions × ${options.phonesPerSession} phones joined in ${Math.round(side.side.joinMs)} ms, connected in ${Math.round(side.side.connectMs)} ms; ` +
          `sessions by node ${JSON.stringify(sessionsByNode)}, sockets by node ${JSON.stringify(socketsByNode)}, misplaced ${side.side.misplacedSockets}`,
      );
    }
    for (let run = 0; run < options.runs; run++) {
      for (const side of run % 2 === 0 ? live : [...live].reverse()) {
        const result = await runOnce(side, run, options);
        side.side.runs.push(result);
        options.log(describeRun(side.side.label, run, result));
        await sleep(options.pauseBetweenRunsMs);
      }
    }
    return { sessions: options.sessions, phonesPerSession: options.phonesPerSession, roundsPerRun: options.roundsPerRun, sides: live.map((side) => side.side) };
  } finally {
    for (const side of live) await closeSide(side);
  }
}
