/**
 * One measured ○× round: the presenter opens a question, every phone votes (some change their answer),
 * and the run checks three ways that no vote was lost: acks, the projector's tally, the database.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Tally } from '../../shared/contract.ts';
import type { PresenterClient } from './clients.ts';
import type { ParticipantPool, PoolMember } from './participant-pool.ts';
import { readStolenTimeUs } from './server-process.ts';
import { readOwnCpuTimeUs } from './generator-process.ts';
import { readStoredVotes, type VoteStore } from './stored-votes.ts';
import { createSeededRandom, shuffleIndexes, sleep, summarize, waitUntil, yieldToEventLoop, type LatencySummary } from './stats.ts';

/** Generator CPU at or above this share of wall time means the generator, not the server, set the pace. */
export const GENERATOR_BOUND_SHARE = 0.9;
/** Longer than the server's tally interval (100 ms): no later tally may change the final one. */
const TALLY_SETTLE_MS = 250;
/**
 * Votes sent before the generator reads what has arrived: a burst goes out as fast as the generator
 * can send, but acks are still timed when they arrive, not after the last vote was sent.
 */
const SENDS_PER_TURN = 200;
/** Share of first votes that are ○; the rest are ×. */
const SHARE_OF_O = 0.6;

export interface VoteRoundOptions {
  questionId: string;
  /** First votes are spread uniformly over this window; 0 sends them all at once. */
  windowMs: number;
  /** Share of voters who change their answer once, after their first vote, within the window. */
  changeFraction: number;
  seed: number;
  /** Upper bound of every wait in the run. */
  timeoutMs: number;
  /** How many of the participants vote (default: all of them). */
  voters?: number;
}

/** What the bench can see of the server besides its sockets (absent when it runs in-process). */
export interface ServerProbe {
  /** Where the votes are stored; null when the server stores nothing (the baseline). */
  voteStore: VoteStore | null;
  cpuTimeUs?: () => number;
  /** CPU time of the database server's processes (PostgreSQL on this machine), in microseconds. */
  databaseCpuTimeUs?: () => number;
}

export interface VoteRoundChecks {
  /** Votes sent, first votes and changes. */
  votesSent: number;
  acksOk: number;
  acksRefused: number;
  acksMissing: number;
  /** The projector's last tally (null if none came). */
  finalTally: Pick<Tally, 'voted' | 'counts'> | null;
  expectedCounts: Record<string, number>;
  isTallyCorrect: boolean;
  /** Rows stored for the round; null when the server stores nothing (the baseline). */
  storedRows: number | null;
  /** Stored rows whose choice is not the participant's last vote. */
  storedWrongChoices: number;
  storedChangedRows: number;
  /** Vote events stored twice under the same vote id. */
  storedDuplicates: number;
  isStoredCorrect: boolean;
  /** Votes missing from the worst of the three views (acks, tally, database). */
  lost: number;
}

export interface VoteRoundResult {
  roundId: string;
  participants: number;
  voters: number;
  changedVotes: number;
  /** poll:open sent -> the last phone has the round. */
  pushMs: number;
  /** The generator's CPU time while the round reached the phones, as a share of that wall time. */
  pushGeneratorCpuShare: number;
  /** poll:open sent -> its ack back at the presenter. */
  openAckMs: number;
  /** First vote sent -> last vote sent. */
  sendSpanMs: number;
  /** How far behind its schedule the generator sent the latest vote. */
  maxSendLagMs: number;
  ackLatencyMs: LatencySummary;
  /** Last vote ack -> the projector's final tally (negative: the tally arrived first). */
  lastAckToTallyMs: number | null;
  /** First vote sent -> final tally received. */
  votePhaseMs: number;
  serverCpuUs: number | null;
  serverCpuPerVoteUs: number | null;
  /** The database server's CPU time over the vote phase per vote (null: SQLite, inside the server, or not readable). */
  databaseCpuPerVoteUs: number | null;
  /** The generator's own CPU time over the vote phase, as a share of its wall time. */
  generatorCpuShare: number;
  /** The generator used ≥ 90 % of a core in the push or the vote phase: it may have set the pace. */
  isGeneratorBound: boolean;
  /** How late the generator's event loop ran during the vote phase (p99 and max, ms): a late loop reads acks late. */
  generatorLoopDelayMs: { p99: number; max: number };
  /** CPU time the hypervisor took from the machine during the vote phase (ms, all cores): noise. */
  stolenMs: number;
  checks: VoteRoundChecks;
}

interface ScheduledVote {
  member: PoolMember;
  choice: string;
  atMs: number;
}

/** Every vote of the round with its send time, in send order, and each participant's final choice. */
function planVotes(members: PoolMember[], options: VoteRoundOptions): { schedule: ScheduledVote[]; finalChoices: Map<string, string>; changes: number } {
  const random = createSeededRandom(options.seed);
  const count = members.length;
  const order = shuffleIndexes(count, random);
  const schedule: ScheduledVote[] = [];
  const finalChoices = new Map<string, string>();
  for (const [slot, index] of order.entries()) {
    const member = members[index] as PoolMember;
    const choice = random() < SHARE_OF_O ? 'o' : 'x';
    const atMs = options.windowMs === 0 ? 0 : ((slot + random()) * options.windowMs) / count;
    schedule.push({ member, choice, atMs });
    finalChoices.set(member.participantId, choice);
  }
  const changes = Math.floor(count * options.changeFraction);
  for (const first of schedule.slice(0, changes * 2).filter((_, i) => i % 2 === 0)) {
    const choice = first.choice === 'o' ? 'x' : 'o';
    const atMs = first.atMs + (Math.max(options.windowMs, 1) - first.atMs) * random();
    schedule.push({ member: first.member, choice, atMs });
    finalChoices.set(first.member.participantId, choice);
  }
  // A stable sort keeps each participant's change after the first vote when both fall on the same time.
  schedule.sort((a, b) => a.atMs - b.atMs);
  return { schedule, finalChoices, changes };
}

function countChoices(choices: Iterable<string>, optionKeys: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(optionKeys.map((key) => [key, 0]));
  for (const choice of choices) counts[choice] = (counts[choice] ?? 0) + 1;
  return counts;
}

function isSameCounts(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => (a[key] ?? 0) === (b[key] ?? 0));
}

/** Runs one round to the end; throws only if the round could not be opened or reached no phone. */
export async function runVoteRound(
  pool: ParticipantPool,
  presenter: PresenterClient,
  server: ServerProbe,
  options: VoteRoundOptions,
): Promise<VoteRoundResult & { finalChoices: Map<string, string>; ackSamplesMs: Float64Array }> {
  const members = pool.members;
  const participants = members.length;
  const voters = members.slice(0, options.voters ?? participants);

  const pushCpuBefore = readOwnCpuTimeUs();
  const openedAt = performance.now();
  const round = await presenter.openPoll(options.questionId, options.timeoutMs);
  const openAckMs = performance.now() - openedAt;
  pool.awaitRound(round.roundId);
  const hasReachedAll = await waitUntil(() => pool.roundReceivedCount === participants, options.timeoutMs);
  if (!hasReachedAll) throw new Error(`round ${round.roundId} reached ${pool.roundReceivedCount} of ${participants} phones`);
  const pushMs = members.reduce((latest, member) => Math.max(latest, member.roundAt), openedAt) - openedAt;
  const pushGeneratorCpuShare = (readOwnCpuTimeUs() - pushCpuBefore) / 1000 / (performance.now() - openedAt);

  const optionKeys = round.options.map((option) => option.key);
  const { schedule, finalChoices, changes } = planVotes(voters, options);
  const expectedCounts = countChoices(finalChoices.values(), optionKeys);
  const isFinalTally = (tally: Tally): boolean =>
    tally.roundId === round.roundId && tally.voted === voters.length && isSameCounts(tally.counts, expectedCounts);
  const finalTally = presenter.waitForTally(isFinalTally, options.timeoutMs + options.windowMs);

  const latencies = new Float64Array(schedule.length);
  let acks = 0;
  let acksOk = 0;
  let lastAckAt = 0;
  let maxSendLagMs = 0;
  let lastSentAt = 0;
  let sent = 0;
  const send = (vote: ScheduledVote): void => {
    const connection = vote.member.connection;
    if (!connection) return;
    const sentAt = performance.now();
    lastSentAt = sentAt;
    // A phone sends an id per tap, so a resend never counts twice; the server checks it on every vote.
    const voteId = `${round.roundId}-${vote.member.index.toString(36)}-${(sent++).toString(36)}`;
    connection.castVote({ roundId: round.roundId, choice: vote.choice, voteId }, (ack) => {
      const at = performance.now();
      latencies[acks++] = at - sentAt;
      if (ack.ok) acksOk += 1;
      lastAckAt = at;
    });
  };

  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const stolenBefore = readStolenTimeUs();
  const serverCpuBefore = server.cpuTimeUs?.() ?? null;
  const databaseCpuBefore = server.databaseCpuTimeUs?.() ?? null;
  const generatorCpuBefore = readOwnCpuTimeUs();
  const startedAt = performance.now();
  let next = 0;
  const sendDeadline = startedAt + options.windowMs + options.timeoutMs;
  while (next < schedule.length && performance.now() < sendDeadline) {
    const elapsed = performance.now() - startedAt;
    const turnEnd = next + SENDS_PER_TURN;
    while (next < schedule.length && next < turnEnd && (schedule[next] as ScheduledVote).atMs <= elapsed) {
      const vote = schedule[next] as ScheduledVote;
      maxSendLagMs = Math.max(maxSendLagMs, elapsed - vote.atMs);
      send(vote);
      next += 1;
    }
    if (next === turnEnd) await yieldToEventLoop();
    else if (next < schedule.length) await sleep(1);
  }
  const sendSpanMs = lastSentAt - startedAt;

  await waitUntil(() => acks === schedule.length, options.timeoutMs);
  const tally = await finalTally;
  const endedAt = performance.now();
  const serverCpuUs = serverCpuBefore === null || !server.cpuTimeUs ? null : server.cpuTimeUs() - serverCpuBefore;
  const databaseCpuUs = databaseCpuBefore === null || !server.databaseCpuTimeUs ? null : server.databaseCpuTimeUs() - databaseCpuBefore;
  const generatorCpuShare = (readOwnCpuTimeUs() - generatorCpuBefore) / 1000 / (endedAt - startedAt);
  const stolenMs = (readStolenTimeUs() - stolenBefore) / 1000;
  loopDelay.disable();
  const generatorLoopDelayMs = { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };

  await sleep(TALLY_SETTLE_MS);
  const latest = presenter.latestTally?.tally.roundId === round.roundId ? presenter.latestTally.tally : null;
  const stored = server.voteStore === null ? null : await readStoredVotes(server.voteStore, round.roundId);
  let storedWrongChoices = 0;
  if (stored) for (const [participantId, choice] of finalChoices) if (stored.choices.get(participantId) !== choice) storedWrongChoices += 1;
  const isTallyCorrect = tally !== null && latest !== null && isFinalTally(latest);
  const isStoredCorrect =
    stored === null || (stored.rows === voters.length && storedWrongChoices === 0 && stored.changedRows === changes && stored.duplicateEvents === 0);
  const acksMissing = schedule.length - acksOk;
  const tallyMiscounts = latest
    ? Object.keys(expectedCounts).reduce((sum, key) => sum + Math.abs((latest.counts[key] ?? 0) - (expectedCounts[key] ?? 0)), 0) / 2
    : voters.length;
  const lost = Math.max(
    Math.min(acksMissing, voters.length),
    voters.length - (latest?.voted ?? 0),
    Math.ceil(tallyMiscounts),
    stored ? voters.length - stored.rows : 0,
    storedWrongChoices,
  );

  return {
    roundId: round.roundId,
    participants,
    voters: voters.length,
    changedVotes: changes,
    pushMs,
    pushGeneratorCpuShare,
    openAckMs,
    sendSpanMs,
    maxSendLagMs,
    ackLatencyMs: summarize(latencies.subarray(0, acks)),
    ackSamplesMs: latencies.subarray(0, acks),
    lastAckToTallyMs: tally ? tally.at - lastAckAt : null,
    votePhaseMs: endedAt - startedAt,
    serverCpuUs,
    serverCpuPerVoteUs: serverCpuUs === null ? null : serverCpuUs / schedule.length,
    databaseCpuPerVoteUs: databaseCpuUs === null ? null : databaseCpuUs / schedule.length,
    generatorCpuShare,
    isGeneratorBound: Math.max(generatorCpuShare, pushGeneratorCpuShare) >= GENERATOR_BOUND_SHARE,
    generatorLoopDelayMs,
    stolenMs,
    finalChoices,
    checks: {
      votesSent: schedule.length,
      acksOk,
      acksRefused: acks - acksOk,
      acksMissing,
      finalTally: latest ? { voted: latest.voted, counts: latest.counts } : null,
      expectedCounts,
      isTallyCorrect,
      storedRows: stored?.rows ?? null,
      storedWrongChoices,
      storedChangedRows: stored?.changedRows ?? 0,
      storedDuplicates: stored?.duplicateEvents ?? 0,
      isStoredCorrect,
      lost,
    },
  };
}
