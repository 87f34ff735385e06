/**
 * Many seminars on one server at once: every session runs its own rounds at its own pace. First all of
 * them vote over a second each round (steady); then one session sends every round as a burst while the
 * others go on as before. What a session feels is its own ack p99; the question is whether one room's
 * burst lifts the others'.
 */
import type { PresenterClient } from './clients.ts';
import type { ParticipantPool } from './participant-pool.ts';
import { createSeededRandom, sleep, summarize } from './stats.ts';
import { runVoteRound, type ServerProbe, type VoteRoundResult } from './vote-round.ts';

/** One session of the scenario: its projector and its phones. */
export interface SessionLane {
  presenter: PresenterClient;
  pool: ParticipantPool;
  nextQuestionId(): string;
}

export interface MultiSessionOptions {
  /** Rounds each session runs in each phase. */
  roundsPerPhase: number;
  seed: number;
  timeoutMs: number;
}

/** One session's rounds in one phase. */
export interface LaneRounds {
  /** Over every ack of the session's rounds in the phase, ms. */
  ackP99Ms: number;
  ackP50Ms: number;
  rounds: number;
  votes: number;
  lost: number;
}

export interface MultiSessionResult {
  sessions: number;
  participantsPerSession: number;
  /** Per session, every session voting over 1 s. */
  steady: LaneRounds[];
  /** Per session while session 0 sends bursts; session 0's own entry is its bursts. */
  oneBursting: LaneRounds[];
  /** The other sessions' ack p99 (all their acks together) while session 0 bursts, over the same sessions' steady p99. */
  worstLift: number;
  /** Ack p99 of the other sessions, all their acks together: steady, and while session 0 bursts, ms. */
  othersSteadyP99Ms: number;
  othersBurstingP99Ms: number;
  /** The largest per-session p99 in the steady phase, ms. */
  worstSteadyP99Ms: number;
  /** Votes per second over the steady phase, all sessions together. */
  steadyVotesPerSecond: number;
  /** Server CPU per vote over the steady phase, µs. */
  steadyServerCpuPerVoteUs: number | null;
  lost: number;
}

/** A pause between one session's rounds: the lecturer talks, the room discusses. */
const PAUSE_MIN_MS = 300;
const PAUSE_MAX_MS = 1500;

type MeasuredRound = VoteRoundResult & { ackSamplesMs: Float64Array };

function samplesOf(rounds: MeasuredRound[]): number[] {
  return rounds.flatMap((round) => Array.from(round.ackSamplesMs));
}

function summarizeLane(rounds: MeasuredRound[]): LaneRounds {
  const acks = summarize(samplesOf(rounds));
  return {
    ackP99Ms: acks.p99,
    ackP50Ms: acks.p50,
    rounds: rounds.length,
    votes: rounds.reduce((sum, round) => sum + round.checks.votesSent, 0),
    lost: rounds.reduce((sum, round) => sum + round.checks.lost, 0),
  };
}

/**
 * Runs each lane's rounds concurrently with the others, each lane at its own pace; `isBursting(lane)`
 * sends that lane's votes all at once. A bursting lane keeps going until every other lane is done.
 */
async function runPhase(
  lanes: SessionLane[],
  server: ServerProbe,
  options: MultiSessionOptions & { phase: number; isBursting: (index: number) => boolean },
): Promise<MeasuredRound[][]> {
  const random = createSeededRandom(options.seed * 31 + options.phase);
  const others = lanes.map((_, index) => index).filter((index) => !options.isBursting(index));
  let steadyLanesLeft = others.length;
  return Promise.all(
    lanes.map(async (lane, index) => {
      const isBursting = options.isBursting(index);
      const rounds: MeasuredRound[] = [];
      await sleep(random() * PAUSE_MAX_MS);
      while (isBursting ? steadyLanesLeft > 0 || rounds.length === 0 : rounds.length < options.roundsPerPhase) {
        rounds.push(
          await runVoteRound(lane.pool, lane.presenter, { voteStore: server.voteStore }, {
            questionId: lane.nextQuestionId(),
            windowMs: isBursting ? 0 : 1000,
            changeFraction: 0,
            seed: options.seed + index * 1000 + rounds.length,
            timeoutMs: options.timeoutMs,
          }),
        );
        await sleep(isBursting ? PAUSE_MIN_MS : PAUSE_MIN_MS + random() * (PAUSE_MAX_MS - PAUSE_MIN_MS));
      }
      if (!isBursting) steadyLanesLeft -= 1;
      return rounds;
    }),
  );
}

export async function runMultiSession(lanes: SessionLane[], server: ServerProbe, options: MultiSessionOptions): Promise<MultiSessionResult> {
  const cpuBefore = server.cpuTimeUs?.() ?? null;
  const startedAt = performance.now();
  const steadyRounds = await runPhase(lanes, server, { ...options, phase: 1, isBursting: () => false });
  const steadyMs = performance.now() - startedAt;
  const cpuUs = cpuBefore === null || !server.cpuTimeUs ? null : server.cpuTimeUs() - cpuBefore;
  const burstRounds = await runPhase(lanes, server, { ...options, phase: 2, isBursting: (index) => index === 0 });

  const steady = steadyRounds.map(summarizeLane);
  const oneBursting = burstRounds.map(summarizeLane);
  const steadyVotes = steady.reduce((sum, lane) => sum + lane.votes, 0);
  const othersSteadyP99Ms = summarize(steadyRounds.slice(1).flatMap(samplesOf)).p99;
  const othersBurstingP99Ms = summarize(burstRounds.slice(1).flatMap(samplesOf)).p99;
  return {
    sessions: lanes.length,
    participantsPerSession: lanes[0]?.pool.members.length ?? 0,
    steady,
    oneBursting,
    worstLift: othersBurstingP99Ms / Math.max(othersSteadyP99Ms, 0.001),
    othersSteadyP99Ms,
    othersBurstingP99Ms,
    worstSteadyP99Ms: Math.max(...steady.map((lane) => lane.ackP99Ms)),
    steadyVotesPerSecond: (steadyVotes * 1000) / steadyMs,
    steadyServerCpuPerVoteUs: cpuUs === null ? null : cpuUs / steadyVotes,
    lost: [...steady, ...oneBursting].reduce((sum, lane) => sum + lane.lost, 0),
  };
}
