/**
 * Plays one group's phones and projectors against one server: the sessions, their participants, and
 * every run of the group's scenarios. The bench drives kotae's group in its own process and the
 * baseline's group in a second generator process (driver-process.ts): one process may hold only
 * 20,000 open files, and both groups stay connected for the whole run so their runs can alternate.
 */
import { createBenchSession } from './bench-session.ts';
import { PresenterClient, type ClientKind } from './clients.ts';
import { collectGeneratorGarbage } from './generator-process.ts';
import { runMultiSession, type MultiSessionOptions, type MultiSessionResult, type SessionLane } from './multi-session.ts';
import { ParticipantPool } from './participant-pool.ts';
import { runReconnectStorm, type ReconnectStormResult } from './reconnect-storm.ts';
import { toReconnectRunRecord, toVoteRunRecord, type VoteRun } from './report.ts';
import { readPostgresCpuTimeUs } from './postgres-process.ts';
import { readProcessCpuTimeUs } from './server-process.ts';
import type { VoteStore } from './stored-votes.ts';
import { runVoteRound, type ServerProbe } from './vote-round.ts';

/** What a driver needs to know of its server: enough to reach it and read its CPU time. */
export interface ServerHandle {
  baseUrl: string;
  pid: number;
  voteStore: VoteStore | null;
  /** The postmaster of a PostgreSQL on this machine whose CPU time counts too; null: none or not readable. */
  postmasterPid?: number | null;
}

/** The sessions and phones of a group. */
export interface GroupPlan {
  clientKind: ClientKind;
  /** Participants per session. */
  participants: number;
  sessions: number;
  questionIds: string[];
  /** Upper bound of every wait. */
  timeoutMs: number;
}

/** One vote run: what is measured, without the round's id and choices. */
export interface VoteRunOptions {
  windowMs: number;
  changeFraction: number;
  seed: number;
}

export interface ReconnectRunOptions {
  spreadMs: number;
  seed: number;
}

/** The same calls, in this process or in a generator child process. */
export interface GroupDriver {
  /** Creates the sessions, joins and connects every phone; resolves with how long that took, in ms. */
  setUp(): Promise<{ joinMs: number; connectMs: number }>;
  runVotes(options: VoteRunOptions): Promise<VoteRun>;
  /** Every phone drops and reconnects, with the last vote run's round open. */
  runReconnect(options: ReconnectRunOptions): Promise<ReconnectStormResult>;
  runSessions(options: Omit<MultiSessionOptions, 'timeoutMs'>): Promise<MultiSessionResult>;
  close(): Promise<void>;
}

const BENCH_COURSE = 'kasuhara';

/** Drives a group from this process. */
export class LocalGroupDriver implements GroupDriver {
  private readonly lanes: SessionLane[] = [];
  private lastRound: { roundId: string; finalChoices: Map<string, string> } | null = null;
  private readonly probe: ServerProbe;

  private readonly baseUrl: string;

  constructor(
    server: ServerHandle,
    private readonly plan: GroupPlan,
  ) {
    this.baseUrl = server.baseUrl;
    const postmasterPid = server.postmasterPid ?? null;
    this.probe = {
      voteStore: server.voteStore,
      cpuTimeUs: () => readProcessCpuTimeUs(server.pid),
      ...(postmasterPid === null ? {} : { databaseCpuTimeUs: () => readPostgresCpuTimeUs(postmasterPid) }),
    };
  }

  async setUp(): Promise<{ joinMs: number; connectMs: number }> {
    for (let i = 0; i < this.plan.sessions; i++) {
      // The whole simulated hall is expected: no phone waits for the presenter's approval.
      const session = await createBenchSession(this.baseUrl, { course: BENCH_COURSE, expectedParticipants: 20_000, timeoutMs: this.plan.timeoutMs });
      const code = session.session.code;
      let questionIndex = 0;
      this.lanes.push({
        presenter: await PresenterClient.connect(this.baseUrl, code, session.presenterKey),
        pool: new ParticipantPool(this.plan.clientKind, this.baseUrl, code),
        nextQuestionId: () => this.plan.questionIds[questionIndex++ % this.plan.questionIds.length] as string,
      });
    }
    const startedAt = performance.now();
    await Promise.all(this.lanes.map((lane) => lane.pool.join(this.plan.participants)));
    const joinMs = performance.now() - startedAt;
    const connectedAt = performance.now();
    await Promise.all(this.lanes.map((lane) => lane.pool.connectAll(this.plan.timeoutMs)));
    return { joinMs, connectMs: performance.now() - connectedAt };
  }

  async runVotes(options: VoteRunOptions): Promise<VoteRun> {
    const lane = this.firstLane();
    collectGeneratorGarbage();
    const { finalChoices, ackSamplesMs: _samples, ...result } = await runVoteRound(lane.pool, lane.presenter, this.probe, {
      questionId: lane.nextQuestionId(),
      windowMs: options.windowMs,
      changeFraction: options.changeFraction,
      seed: options.seed,
      timeoutMs: this.plan.timeoutMs,
    });
    this.lastRound = { roundId: result.roundId, finalChoices };
    return toVoteRunRecord(result);
  }

  async runReconnect(options: ReconnectRunOptions): Promise<ReconnectStormResult> {
    if (!this.lastRound) await this.runVotes({ windowMs: 1000, changeFraction: 0, seed: 1 });
    const lastRound = this.lastRound as NonNullable<typeof this.lastRound>;
    collectGeneratorGarbage();
    return toReconnectRunRecord(
      await runReconnectStorm(this.firstLane().pool, this.probe, { ...lastRound, spreadMs: options.spreadMs, seed: options.seed, timeoutMs: this.plan.timeoutMs }),
    );
  }

  runSessions(options: Omit<MultiSessionOptions, 'timeoutMs'>): Promise<MultiSessionResult> {
    collectGeneratorGarbage();
    return runMultiSession(this.lanes, this.probe, { ...options, timeoutMs: this.plan.timeoutMs });
  }

  async close(): Promise<void> {
    for (const lane of this.lanes) {
      lane.pool.closeAll();
      lane.presenter.close();
    }
  }

  private firstLane(): SessionLane {
    const lane = this.lanes[0];
    if (!lane) throw new Error('the group is not set up');
    return lane;
  }
}
