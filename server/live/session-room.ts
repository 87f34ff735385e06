/**
 * One running session: the only owner of its state (session, deck position, rounds, votes,
 * participant count) and of the commands that change it. A command asks the pure domain for the
 * decision, changes the state in memory, commits it through the storage port, tells the notifier,
 * and answers with the contract's type. The state is a cache of storage: when a commit fails, the
 * room reloads itself from storage.
 */
import type { Course, TestItem } from '../../shared/course.ts';
import {
  ErrorCode,
  type Ack,
  type DeckPosition,
  type ErrorBody,
  type Joined,
  type ParticipantListEntry,
  type ParticipantsChanged,
  type PresenterRoundView,
  type PresenterTestView,
  type QaQuestionView,
  type QaStatus,
  type SessionSummary,
  type StageView,
  type TestChoice,
  type TestKind,
  type TestProgress,
  type VoteRecorded,
} from '../../shared/contract.ts';
import type { SessionSettings } from '../../shared/protocol.ts';
import type { DeckPlan } from '../course/deck-plan.ts';
import { findQuestion, optionsOf } from '../course/course-catalog.ts';
import { askQuestion, moveDeck, type NewRound, type RoundChange } from '../domain/deck.ts';
import {
  answerItem,
  closeTestRun,
  moveInTest,
  openTestRun,
  preTestItemIds,
  submitAttempt,
  type TestAttempt,
  type TestRun,
} from '../domain/knowledge-test.ts';
import type { Decision } from '../domain/domain-error.ts';
import type { DeckMove } from '../domain/pacing.ts';
import { admissionOf, type Participant, type ParticipantStatus } from '../domain/participant.ts';
import { castVote, closeRound, revealRound, type Round } from '../domain/poll.ts';
import { askQuestion as askAudienceQuestion, checkPinnable, moderate, upvote, type AudienceQuestion } from '../domain/qa.ts';
import { endSession, requireRunning } from '../domain/session.ts';
import { pinQuestion, setOverlays, startTimer, stopTimer, type Stage } from '../domain/stage.ts';
import type { Logger } from '../logger.ts';
import type { AuditEvent, Storage, StorageChange, StoredSession } from '../storage/storage.ts';
import { deckPosition, presenterRoundView, presenterTestView, qaQuestionView, sessionSummary, stageView } from './projections.ts';
import { hashSecret, newSecret } from './secrets.ts';

export interface Clock {
  now(): number;
}

/** How the current round changed, for what each audience must be sent. */
export type RoundChangeKind =
  /** A new round opened (first ask or re-vote): no phone has voted in it. */
  | 'opened'
  /** The current round was closed or revealed. */
  | 'updated'
  /** The deck returned to a round asked before: each phone needs its own vote in it. */
  | 'returned'
  /** The deck left the question: no round is current. */
  | 'cleared';

/** How the test the phones show changed. */
export type TestChangeKind =
  /** A test opened: nobody has answered it yet. */
  | 'opened'
  /** It closed, or the deck went to a test slide: each phone needs its own attempt and result. */
  | 'shown'
  /** Someone answered or submitted: presenters' counts change. */
  | 'progressed';

/** What the transports are told after a change has been committed. */
export interface RoomNotifier {
  deckMoved(room: ReadonlyRoom, chapterChanged: boolean): void;
  roundChanged(room: ReadonlyRoom, kind: RoundChangeKind): void;
  votesChanged(room: ReadonlyRoom): void;
  participantsChanged(room: ReadonlyRoom): void;
  testChanged(room: ReadonlyRoom, kind: TestChangeKind): void;
  /** Approved participants now count: their phones need their own state. */
  participantsAdmitted(room: ReadonlyRoom, participantIds: readonly string[]): void;
  /** Removed participants: their connections end, and the tallies they were in changed. */
  participantsRemoved(room: ReadonlyRoom, participantIds: readonly string[]): void;
  /** The session ended: phones and presenters are told, and stay connected to see it. */
  sessionEnded(room: ReadonlyRoom): void;
  /** The session and all its data were deleted: its sockets are disconnected. */
  sessionDeleted(room: ReadonlyRoom): void;
  /** This node no longer runs the session: its sockets are told to ask `home` again, and disconnected. */
  sessionMoved(room: ReadonlyRoom): void;
  /** An overlay, the timer, the pinned question or a live setting changed. */
  stageChanged(room: ReadonlyRoom, isTimerChanged: boolean): void;
  /** An audience question was asked, upvoted or moderated. */
  qaChanged(room: ReadonlyRoom): void;
}

/** What projections may read of a room. */
export interface ReadonlyRoom {
  readonly session: Readonly<StoredSession>;
  readonly course: Course;
  readonly deck: DeckPlan;
  readonly rounds: readonly Round[];
  /** Admitted participants: those whose votes count. */
  readonly participantCount: number;
  readonly pendingCount: number;
  /** Joins in the minute before now. */
  joinsLastMinute(): number;
  /** Every participant (admitted or pending), by id. */
  readonly participants: ReadonlyMap<string, Participant>;
  /** The knowledge test's items of the session's variant, in order. */
  readonly testItems: readonly TestItem[];
  readonly testRuns: readonly TestRun[];
  currentRound(): Round | null;
  /** The committed votes of a round: participant id -> choice. */
  votesIn(roundId: string): ReadonlyMap<string, string>;
  /** The test run phones show when no round is current. */
  currentTestRun(): TestRun | null;
  latestTestRun(kind: TestKind): TestRun | null;
  /** When a phone last proved it can reach the server (the venue pre-flight); null before any. */
  lastReachabilityCheck(): number | null;
  /** The committed attempts at a test run: participant id -> attempt. */
  attemptsIn(runId: string): ReadonlyMap<string, TestAttempt>;
  groupOf(participantId: string): string | null;
  /** The deck's moves, oldest first (for pacing). */
  readonly moves: readonly DeckMove[];
  /** The audience questions, oldest first. */
  readonly audienceQuestions: readonly AudienceQuestion[];
  /** Who has upvoted an audience question. */
  upvotersOf(questionId: string): ReadonlySet<string>;
  /** The room's clock: deadlines and pacing are on it. */
  now(): number;
}

/** What a room is loaded from. */
export interface RoomState {
  session: StoredSession;
  rounds: Round[];
  votes: Map<string, Map<string, string>>;
  /** The vote ids each participant used in each round (voteKey), to answer a resend without counting it again. */
  voteIds: Set<string>;
  participants: Map<string, Participant>;
  testRuns: TestRun[];
  attempts: Map<string, Map<string, TestAttempt>>;
  moves: DeckMove[];
  audienceQuestions: AudienceQuestion[];
  upvotes: Map<string, Set<string>>;
}

export interface RoomDeps {
  storage: Storage;
  clock: Clock;
  notifier: RoomNotifier;
  logger: Logger;
  newId(): string;
}

const NOT_SAVED: ErrorBody = { code: ErrorCode.internal, message: 'the change could not be saved; nothing was changed' };
const NO_VOTES: ReadonlyMap<string, string> = new Map();
const NO_ATTEMPTS: ReadonlyMap<string, TestAttempt> = new Map();

/** Puts a value in a map of maps, creating the inner map when needed. */
function setIn<V>(outer: Map<string, Map<string, V>>, key: string, innerKey: string, value: V): void {
  let inner = outer.get(key);
  if (!inner) outer.set(key, (inner = new Map()));
  inner.set(innerKey, value);
}
const NO_UPVOTERS: ReadonlySet<string> = new Set();

function answer<T>(data: T): Ack<T> {
  return { ok: true, data };
}

function refused<T>(decision: Decision<unknown> & { ok: false }): Ack<T> {
  return { ok: false, error: decision.error };
}

/** Reads a room's state from storage: every read at once, so a load costs one round trip per read, not their sum. */
export async function readRoomState(storage: Storage, session: StoredSession): Promise<RoomState> {
  const [storedVotes, storedVoteIds, storedParticipants, storedAttempts, storedUpvotes, rounds, testRuns, moves, audienceQuestions] = await Promise.all([
    storage.polls.votesOfSession(session.id),
    storage.polls.voteIdsOfSession(session.id),
    storage.participants.allInSession(session.id),
    storage.tests.attemptsOfSession(session.id),
    storage.qa.upvotesOf(session.id),
    storage.polls.roundsOf(session.id),
    storage.tests.runsOf(session.id),
    storage.sessions.movesOf(session.id),
    storage.qa.questionsOf(session.id),
  ]);
  const votes = new Map<string, Map<string, string>>();
  for (const vote of storedVotes) setIn(votes, vote.roundId, vote.participantId, vote.choice);
  const participants = new Map(storedParticipants.map((participant) => [participant.id, participant]));
  const attempts = new Map<string, Map<string, TestAttempt>>();
  for (const attempt of storedAttempts) {
    if (participants.get(attempt.participantId)?.status !== 'removed') setIn(attempts, attempt.runId, attempt.participantId, attempt);
  }
  // A removed participant's upvotes drop out, like their votes.
  const upvotes = new Map<string, Set<string>>();
  for (const { questionId, participantId } of storedUpvotes) {
    if (participants.get(participantId)?.status !== 'removed') addUpvote(upvotes, questionId, participantId);
  }
  const voteIds = new Set(storedVoteIds.map(({ roundId, participantId, voteId }) => voteKey(roundId, participantId, voteId)));
  return { session, rounds, votes, voteIds, participants, testRuns, attempts, moves, audienceQuestions, upvotes };
}

/** Names a vote id used by a participant in a round: ids are the phone's, so they are scoped to it. */
function voteKey(roundId: string, participantId: string, voteId: string): string {
  return `${roundId}\u0000${participantId}\u0000${voteId}`;
}

function addUpvote(upvotes: Map<string, Set<string>>, questionId: string, participantId: string): void {
  let upvoters = upvotes.get(questionId);
  if (!upvoters) upvotes.set(questionId, (upvoters = new Set()));
  upvoters.add(participantId);
}

export class SessionRoom implements ReadonlyRoom {
  // Set by adopt(), from the constructor and after a failed commit.
  session!: StoredSession;
  rounds!: Round[];
  participants!: Map<string, Participant>;
  testRuns!: TestRun[];
  private votes!: Map<string, Map<string, string>>;
  private voteIds!: Set<string>;
  /** Votes being committed, by voteKey: a resend meanwhile gets the first one's answer. */
  private readonly votesInFlight = new Map<string, Promise<Ack<VoteRecorded>>>();
  private attempts!: Map<string, Map<string, TestAttempt>>;
  moves!: DeckMove[];
  audienceQuestions!: AudienceQuestion[];
  private upvotes!: Map<string, Set<string>>;

  constructor(
    readonly course: Course,
    readonly deck: DeckPlan,
    readonly testItems: readonly TestItem[],
    state: RoomState,
    private readonly deps: RoomDeps,
  ) {
    this.adopt(state);
  }

  /** Takes a state read from storage as the room's own: at load, and after a failed commit. */
  private adopt(state: RoomState): void {
    this.session = state.session;
    this.rounds = state.rounds;
    this.votes = state.votes;
    this.voteIds = state.voteIds;
    this.participants = state.participants;
    this.testRuns = state.testRuns;
    this.attempts = state.attempts;
    this.admittedCount = countAdmitted(state.participants);
    this.moves = state.moves;
    this.audienceQuestions = state.audienceQuestions;
    this.upvotes = state.upvotes;
  }

  private admittedCount = 0;
  /** How many commits have settled, to tell whether a reload read a state that is already stale. */
  private commitsSettled = 0;
  private reloading: Promise<void> | null = null;
  private readonly recentJoins: number[] = [];
  private reachabilityCheckedAt: number | null = null;

  lastReachabilityCheck(): number | null {
    return this.reachabilityCheckedAt;
  }

  /** A phone on the venue network opened the check URL: the way from phones to the server works. */
  recordReachabilityCheck(): void {
    this.reachabilityCheckedAt = this.deps.clock.now();
    this.deps.logger.info({ session: this.session.code }, 'a phone reached the server (venue check)');
  }

  get participantCount(): number {
    return this.admittedCount;
  }

  get pendingCount(): number {
    let pending = 0;
    for (const participant of this.participants.values()) if (participant.status === 'pending') pending += 1;
    return pending;
  }

  joinsLastMinute(): number {
    const since = this.deps.clock.now() - 60_000;
    while (this.recentJoins.length > 0 && this.recentJoins[0]! < since) this.recentJoins.shift();
    return this.recentJoins.length;
  }

  /** Whether the participant's votes and answers count; a reason when they do not. */
  private refusalFor(participantId: string): ErrorBody | null {
    const status = this.participants.get(participantId)?.status;
    if (status === 'admitted') return null;
    if (status === 'pending') return { code: ErrorCode.participantNotAdmitted, message: '講師の承認待ちです' };
    return { code: ErrorCode.participantRemoved, message: 'この参加者は退出扱いになりました' };
  }

  groupOf(participantId: string): string | null {
    return this.participants.get(participantId)?.group ?? null;
  }

  currentTestRun(): TestRun | null {
    return this.testRuns.find((run) => run.id === this.session.currentTestRunId) ?? null;
  }

  latestTestRun(kind: TestKind): TestRun | null {
    return this.testRuns.findLast((run) => run.kind === kind) ?? null;
  }

  attemptsIn(runId: string): ReadonlyMap<string, TestAttempt> {
    return this.attempts.get(runId) ?? NO_ATTEMPTS;
  }

  now(): number {
    return this.deps.clock.now();
  }

  upvotersOf(questionId: string): ReadonlySet<string> {
    return this.upvotes.get(questionId) ?? NO_UPVOTERS;
  }

  currentRound(): Round | null {
    return this.findRound(this.session.currentRoundId);
  }

  votesIn(roundId: string): ReadonlyMap<string, string> {
    return this.votes.get(roundId) ?? NO_VOTES;
  }

  /** Adds a participant (in one of the session's groups, when it has groups); resolves once stored. */
  async join(nickname: string | undefined, group?: string): Promise<Ack<Joined>> {
    const running = requireRunning(this.session);
    if (!running.ok) return refused(running);
    const hasNickname = nickname !== undefined && nickname.length > 0;
    if (this.session.settings.participation === 'named' && !hasNickname) {
      return { ok: false, error: { code: ErrorCode.invalidPayload, message: 'この開催では氏名の入力が必要です' } };
    }
    const groups = this.session.settings.groups;
    if (groups.length > 0 && (group === undefined || !groups.includes(group))) {
      return { ok: false, error: { code: ErrorCode.groupNotFound, message: `choose one of the groups: ${groups.join(', ')}` } };
    }
    if (groups.length === 0 && group !== undefined) {
      return { ok: false, error: { code: ErrorCode.groupNotFound, message: 'this session has no groups' } };
    }
    const token = newSecret();
    const participant: Participant = {
      id: this.deps.newId(),
      sessionId: this.session.id,
      nickname: hasNickname ? nickname : null,
      group: group ?? null,
      status: admissionOf(this.session.settings.expectedParticipants, this.admittedCount),
      joinedAt: this.deps.clock.now(),
    };
    this.participants.set(participant.id, participant);
    if (participant.status === 'admitted') this.admittedCount += 1;
    this.recentJoins.push(participant.joinedAt);
    if (!(await this.commit([{ kind: 'participant-inserted', participant, tokenHash: hashSecret(token) }]))) return { ok: false, error: NOT_SAVED };
    this.deps.notifier.participantsChanged(this);
    return answer({ participantId: participant.id, token });
  }

  /** Moves the deck and applies the deck and round rules (server/domain/deck.ts). */
  async goTo(slideId: string): Promise<Ack<DeckPosition>> {
    const running = requireRunning(this.session);
    if (!running.ok) return refused(running);
    const target = this.deck.find(slideId);
    if (!target) return { ok: false, error: { code: ErrorCode.slideNotFound, message: `slide "${slideId}" is not in this session's deck` } };
    const before = {
      chapterId: deckPosition(this).chapterId,
      roundId: this.session.currentRoundId,
      testRunId: this.session.currentTestRunId,
      slideId: this.session.currentSlideId,
    };
    const now = this.deps.clock.now();
    const change = moveDeck(this.session, this.rounds, target, (questionId) => this.newRound(questionId), now, this.testRuns);
    const move = target.id === before.slideId ? null : { slideId: target.id, movedAt: now };
    if (move) this.moves.push(move);
    if (!(await this.applyRoundChange(change, move))) return { ok: false, error: NOT_SAVED };
    const position = deckPosition(this);
    this.deps.notifier.deckMoved(this, position.chapterId !== before.chapterId);
    if (change.session.currentRoundId !== before.roundId) {
      const kind: RoundChangeKind = change.openedRound ? 'opened' : change.session.currentRoundId === null ? 'cleared' : 'returned';
      this.deps.notifier.roundChanged(this, kind);
    } else if (change.closedRound) {
      this.deps.notifier.roundChanged(this, 'updated');
    }
    if (change.session.currentTestRunId !== before.testRunId && change.session.currentRoundId === null) this.deps.notifier.testChanged(this, 'shown');
    return answer(position);
  }

  /** Asks a question as a new round: its first, or a re-vote after discussion. */
  async askQuestion(questionId: string): Promise<Ack<PresenterRoundView>> {
    const running = requireRunning(this.session);
    if (!running.ok) return refused(running);
    const question = findQuestion(this.course, questionId);
    if (!question) return { ok: false, error: { code: ErrorCode.questionNotFound, message: `no question "${questionId}" in the course` } };
    const change = askQuestion(this.session, this.rounds, questionId, this.newRound(questionId), this.deps.clock.now());
    if (!(await this.applyRoundChange(change))) return { ok: false, error: NOT_SAVED };
    this.deps.notifier.roundChanged(this, 'opened');
    return answer(this.requireRoundView(change.session.currentRoundId));
  }

  closeRound(roundId: string): Promise<Ack<PresenterRoundView>> {
    return this.updateRound(closeRound(this.currentRound(), roundId, this.deps.clock.now()));
  }

  revealRound(roundId: string): Promise<Ack<PresenterRoundView>> {
    return this.updateRound(revealRound(this.currentRound(), roundId, this.deps.clock.now()));
  }

  /** Every participant with their status, group and how many rounds they voted in. */
  listParticipants(): Promise<Ack<ParticipantListEntry[]>> {
    return Promise.resolve(
      answer(
        [...this.participants.values()]
          .filter((participant) => participant.status !== 'removed')
          .map((participant) => ({
            id: participant.id,
            nickname: participant.nickname,
            group: participant.group,
            status: participant.status as 'admitted' | 'pending',
            joinedAt: new Date(participant.joinedAt).toISOString(),
            votes: [...this.votes.values()].filter((votes) => votes.has(participant.id)).length,
          })),
      ),
    );
  }

  /** Admits participants waiting beyond the expected headcount. */
  async approveParticipants(participantIds: readonly string[] | 'all'): Promise<Ack<ParticipantsChanged>> {
    const pending = [...this.participants.values()].filter((participant) => participant.status === 'pending');
    const chosen = participantIds === 'all' ? pending : pending.filter((participant) => participantIds.includes(participant.id));
    for (const participant of chosen) this.participants.set(participant.id, { ...participant, status: 'admitted' });
    this.admittedCount += chosen.length;
    const ids = chosen.map((participant) => participant.id);
    const event = { sessionId: this.session.id, at: this.deps.clock.now(), kind: 'participants-approved' as const, detail: { participantIds: ids } };
    const saved = await this.commit(participantStatusChanges(ids, 'admitted', event));
    if (!saved) return { ok: false, error: NOT_SAVED };
    this.deps.notifier.participantsAdmitted(this, ids);
    return answer({ changed: ids.length, votesDiscarded: 0 });
  }

  /** Removes participants: their votes leave every tally, their answers every result; the audit log keeps what was discarded. */
  async removeParticipants(participantIds: readonly string[]): Promise<Ack<ParticipantsChanged>> {
    const chosen = participantIds
      .map((id) => this.participants.get(id))
      .filter((participant): participant is Participant => participant !== undefined && participant.status !== 'removed');
    const ids = chosen.map((participant) => participant.id);
    const discarded: Array<{ roundId: string; participantId: string; choice: string }> = [];
    for (const [roundId, votes] of this.votes) {
      for (const id of ids) {
        const choice = votes.get(id);
        if (choice !== undefined) discarded.push({ roundId, participantId: id, choice });
        votes.delete(id);
      }
    }
    for (const attempts of this.attempts.values()) for (const id of ids) attempts.delete(id);
    for (const upvoters of this.upvotes.values()) for (const id of ids) upvoters.delete(id);
    for (const participant of chosen) {
      if (participant.status === 'admitted') this.admittedCount -= 1;
      this.participants.set(participant.id, { ...participant, status: 'removed' });
    }
    const event = { sessionId: this.session.id, at: this.deps.clock.now(), kind: 'participants-removed' as const, detail: { participantIds: ids, discardedVotes: discarded } };
    const saved = await this.commit(participantStatusChanges(ids, 'removed', event));
    if (!saved) return { ok: false, error: NOT_SAVED };
    this.deps.logger.warn({ session: this.session.code, removed: ids.length, votesDiscarded: discarded.length }, 'participants removed by the presenter');
    this.deps.notifier.participantsRemoved(this, ids);
    if (this.audienceQuestions.some((question) => ids.includes(question.participantId))) this.deps.notifier.qaChanged(this);
    return answer({ changed: ids.length, votesDiscarded: discarded.length });
  }

  /**
   * Records a vote; resolves once it is committed, which is when it may be acknowledged. A vote with an
   * id the participant already used in the round is a resend: it is answered like the first (once the
   * first is committed) with the participant's recorded vote, and counted once.
   */
  async castVote(participantId: string, roundId: string, choice: string, voteId?: string): Promise<Ack<VoteRecorded>> {
    if (voteId === undefined) return this.recordVote(participantId, roundId, choice, null);
    const key = voteKey(roundId, participantId, voteId);
    const inFlight = this.votesInFlight.get(key);
    if (inFlight) return inFlight;
    // Answered even after the session ended; a removed participant has no recorded vote, and is refused below.
    const recorded = this.votesIn(roundId).get(participantId);
    if (this.voteIds.has(key) && recorded !== undefined) return answer({ roundId, choice: recorded });
    const recording = this.recordVote(participantId, roundId, choice, voteId);
    this.votesInFlight.set(key, recording);
    try {
      return await recording;
    } finally {
      this.votesInFlight.delete(key);
    }
  }

  private async recordVote(participantId: string, roundId: string, choice: string, voteId: string | null): Promise<Ack<VoteRecorded>> {
    const running = requireRunning(this.session);
    if (!running.ok) return refused(running);
    const refusal = this.refusalFor(participantId);
    if (refusal) return { ok: false, error: refusal };
    // Only the current round can be open, so a vote names it or is refused as not open.
    const decision = castVote(this.findRound(roundId), participantId, roundId, choice, this.deps.clock.now());
    if (!decision.ok) return refused(decision);
    const vote = decision.value;
    if (!(await this.commit([{ kind: 'vote-saved', vote, voteId }]))) return { ok: false, error: NOT_SAVED };
    // The vote was accepted while its round was open; it counts in that round even if the deck has
    // moved on while it was being committed, and only that round's tally changes.
    setIn(this.votes, vote.roundId, vote.participantId, vote.choice);
    if (voteId !== null) this.voteIds.add(voteKey(vote.roundId, vote.participantId, voteId));
    if (this.session.currentRoundId === vote.roundId) this.deps.notifier.votesChanged(this);
    return answer({ roundId: vote.roundId, choice: vote.choice });
  }

  /** Starts the knowledge test (or the pre-test) on every phone. */
  async openTest(kind: TestKind): Promise<Ack<PresenterTestView>> {
    const running = requireRunning(this.session);
    if (!running.ok) return refused(running);
    const testItemIds = this.testItems.map((item) => item.id);
    const decision = openTestRun(
      { id: this.deps.newId(), sessionId: this.session.id, kind, itemIds: kind === 'pre' ? preTestItemIds(testItemIds) : testItemIds, runs: this.testRuns },
      this.deps.clock.now(),
    );
    if (!decision.ok) return refused(decision);
    const run = decision.value;
    const current = this.currentRound();
    const closedRound = current?.status === 'open' ? closeRound(current, current.id, this.deps.clock.now(), 'moved-on') : null;
    if (closedRound?.ok) this.replaceRound(closedRound.value);
    this.testRuns.push(run);
    this.session = { ...this.session, currentTestRunId: run.id, currentRoundId: null };
    const saved = this.session;
    const isSaved = await this.commit([
      ...(closedRound?.ok ? [{ kind: 'round-updated', round: closedRound.value } as const] : []),
      { kind: 'test-run-inserted', run },
      { kind: 'session-position-saved', session: saved },
    ]);
    if (!isSaved) return { ok: false, error: NOT_SAVED };
    if (current) this.deps.notifier.roundChanged(this, 'cleared');
    this.deps.notifier.testChanged(this, 'opened');
    return answer(presenterTestView(this, run));
  }

  /** Closes the test: answers are final, and each phone gets its own score. */
  async closeTest(runId: string): Promise<Ack<PresenterTestView>> {
    const decision = closeTestRun(this.findTestRun(runId), runId, this.deps.clock.now());
    if (!decision.ok) return refused(decision);
    const run = decision.value;
    this.testRuns = this.testRuns.map((candidate) => (candidate.id === run.id ? run : candidate));
    if (!(await this.commit([{ kind: 'test-run-updated', run }]))) return { ok: false, error: NOT_SAVED };
    this.deps.notifier.testChanged(this, 'shown');
    return answer(presenterTestView(this, run));
  }

  answerTest(participantId: string, runId: string, itemId: string, choice: TestChoice): Promise<Ack<TestProgress>> {
    const run = this.findTestRun(runId);
    return this.saveAttempt(answerItem(run, this.attemptOf(runId, participantId), participantId, { runId, itemId, choice }));
  }

  moveInTest(participantId: string, runId: string, position: number): Promise<Ack<TestProgress>> {
    return this.saveAttempt(moveInTest(this.findTestRun(runId), this.attemptOf(runId, participantId), participantId, { runId, position }));
  }

  async submitTest(participantId: string, runId: string): Promise<Ack<TestProgress>> {
    const submitted = await this.saveAttempt(submitAttempt(this.findTestRun(runId), this.attemptOf(runId, participantId), participantId, runId, this.deps.clock.now()));
    if (submitted.ok && this.hasEveryoneSubmitted(runId)) await this.closeTest(runId);
    return submitted;
  }

  private hasEveryoneSubmitted(runId: string): boolean {
    const attempts = this.attemptsIn(runId);
    return [...this.participants.values()]
      .filter((participant) => participant.status === 'admitted')
      .every((participant) => attempts.get(participant.id)?.submittedAt != null);
  }

  private findTestRun(runId: string): TestRun | null {
    return this.testRuns.find((run) => run.id === runId) ?? null;
  }

  private attemptOf(runId: string, participantId: string): TestAttempt | null {
    return this.attemptsIn(runId).get(participantId) ?? null;
  }

  /** Commits an attempt, then keeps it: like a vote, it counts only once it is durable. */
  private async saveAttempt(decision: Decision<TestAttempt>): Promise<Ack<TestProgress>> {
    const running = requireRunning(this.session);
    if (!running.ok) return refused(running);
    if (!decision.ok) return refused(decision);
    const attempt = decision.value;
    const refusal = this.refusalFor(attempt.participantId);
    if (refusal) return { ok: false, error: refusal };
    if (!(await this.commit([{ kind: 'test-attempt-saved', attempt }]))) return { ok: false, error: NOT_SAVED };
    setIn(this.attempts, attempt.runId, attempt.participantId, attempt);
    this.deps.notifier.testChanged(this, 'progressed');
    return answer({ runId: attempt.runId, answers: { ...attempt.answers }, position: attempt.position, submitted: attempt.submittedAt !== null });
  }

  /**
   * Ends the session: an open round and an open test are closed (a round nobody voted in becomes a
   * leftover), joins, moves, votes and test answers are refused from now on, and the results stay.
   */
  async end(): Promise<Ack<SessionSummary>> {
    const decision = endSession(this.session);
    if (!decision.ok) return refused(decision);
    const now = this.deps.clock.now();
    const current = this.currentRound();
    const closing = current?.status === 'open' ? closeRound(current, current.id, now, 'moved-on') : null;
    const closedRound = closing?.ok ? closing.value : null;
    const openRun = this.testRuns.find((run) => run.status === 'open');
    const closingRun = openRun ? closeTestRun(openRun, openRun.id, now) : null;
    const closedRun = closingRun?.ok ? closingRun.value : null;
    this.session = { ...this.session, state: decision.value.state };
    if (closedRound) this.replaceRound(closedRound);
    if (closedRun) this.testRuns = this.testRuns.map((run) => (run.id === closedRun.id ? closedRun : run));
    const saved = this.session;
    const isSaved = await this.commit([
      ...(closedRound ? [{ kind: 'round-updated', round: closedRound } as const] : []),
      ...(closedRun ? [{ kind: 'test-run-updated', run: closedRun } as const] : []),
      { kind: 'session-position-saved', session: saved },
    ]);
    if (!isSaved) return { ok: false, error: NOT_SAVED };
    if (closedRound) this.deps.notifier.roundChanged(this, 'updated');
    if (closedRun) this.deps.notifier.testChanged(this, 'shown');
    this.deps.notifier.sessionEnded(this);
    this.deps.logger.info({ session: this.session.code, participants: this.participantCount, rounds: this.rounds.length }, 'session ended');
    return answer(sessionSummary(this.session));
  }

  /** Shows or hides the join QR overlay or the black screen. */
  setOverlays(change: { joinQr?: boolean | undefined; blackScreen?: boolean | undefined }): Promise<Ack<StageView>> {
    return this.changeStage(setOverlays(this.session.stage, change));
  }

  startTimer(minutes: number): Promise<Ack<StageView>> {
    const decision = startTimer(this.session.stage, minutes, this.deps.clock.now());
    if (!decision.ok) return Promise.resolve(refused(decision));
    return this.changeStage(decision.value);
  }

  stopTimer(startedAt: number): Promise<Ack<StageView>> {
    const decision = stopTimer(this.session.stage, startedAt);
    if (!decision.ok) return Promise.resolve(refused(decision));
    return this.changeStage(decision.value);
  }

  /** Pins an audience question to the projector (a hidden one cannot be), or takes it off. */
  pinQuestion(questionId: string, pinned: boolean): Promise<Ack<StageView>> {
    const question = this.findAudienceQuestion(questionId);
    const decision = pinned ? checkPinnable(question) : question ? { ok: true as const, value: question } : checkPinnable(null);
    if (!decision.ok) return Promise.resolve(refused(decision));
    return this.changeStage(pinQuestion(this.session.stage, questionId, pinned));
  }

  /** Changes the live settings: results hidden while a round is open, Q&A pre-moderation. */
  async setSettings(change: Partial<Pick<SessionSettings, 'hideResultsWhileOpen' | 'moderateQuestions'>>): Promise<Ack<StageView>> {
    const settings: SessionSettings = {
      ...this.session.settings,
      hideResultsWhileOpen: change.hideResultsWhileOpen ?? this.session.settings.hideResultsWhileOpen,
      moderateQuestions: change.moderateQuestions ?? this.session.settings.moderateQuestions,
    };
    const isModerationChanged = settings.moderateQuestions !== this.session.settings.moderateQuestions;
    this.session = { ...this.session, settings };
    const saved = this.session;
    if (!(await this.commit([{ kind: 'session-settings-saved', session: saved }]))) return { ok: false, error: NOT_SAVED };
    this.deps.notifier.stageChanged(this, false);
    if (isModerationChanged) this.deps.notifier.qaChanged(this);
    return answer(stageView(this));
  }

  /**
   * A participant's audience question: pending until moderated (phones see it at once without
   * pre-moderation). Like a vote, only from an admitted participant.
   */
  async askAudienceQuestion(participant: Participant, text: string, withNickname: boolean): Promise<Ack<QaQuestionView>> {
    const running = requireRunning(this.session);
    if (!running.ok) return refused(running);
    const refusal = this.refusalFor(participant.id);
    if (refusal) return { ok: false, error: refusal };
    const decision = askAudienceQuestion(
      {
        id: this.deps.newId(),
        sessionId: this.session.id,
        participantId: participant.id,
        text,
        nickname: withNickname ? participant.nickname : null,
        earlierOfParticipant: this.audienceQuestions.filter((question) => question.participantId === participant.id),
      },
      this.deps.clock.now(),
    );
    if (!decision.ok) return refused(decision);
    const question = decision.value;
    this.audienceQuestions.push(question);
    if (!(await this.commit([{ kind: 'audience-question-inserted', question }]))) return { ok: false, error: NOT_SAVED };
    this.deps.notifier.qaChanged(this);
    return answer(qaQuestionView(this, question));
  }

  /** One upvote per participant and question, never of their own. */
  async upvoteQuestion(participantId: string, questionId: string): Promise<Ack<QaQuestionView>> {
    const running = requireRunning(this.session);
    if (!running.ok) return refused(running);
    const refusal = this.refusalFor(participantId);
    if (refusal) return { ok: false, error: refusal };
    const decision = upvote(this.findAudienceQuestion(questionId), participantId, this.upvotersOf(questionId), this.session.settings.moderateQuestions, this.deps.clock.now());
    if (!decision.ok) return refused(decision);
    const { upvote: vote, question } = decision.value;
    addUpvote(this.upvotes, vote.questionId, vote.participantId);
    if (!(await this.commit([{ kind: 'upvote-saved', upvote: vote }]))) return { ok: false, error: NOT_SAVED };
    this.deps.notifier.qaChanged(this);
    return answer(qaQuestionView(this, question));
  }

  /** Approves, hides, marks answered or returns to pending; hiding the pinned question unpins it. */
  async moderateQuestion(questionId: string, status: QaStatus): Promise<Ack<QaQuestionView>> {
    const decision = moderate(this.findAudienceQuestion(questionId), status);
    if (!decision.ok) return refused(decision);
    const question = decision.value;
    const index = this.audienceQuestions.findIndex((candidate) => candidate.id === question.id);
    this.audienceQuestions[index] = question;
    const isUnpinned = status === 'hidden' && this.session.stage.pinnedQuestionId === question.id;
    if (isUnpinned) this.session = { ...this.session, stage: pinQuestion(this.session.stage, question.id, false) };
    const saved = this.session;
    const isSaved = await this.commit([
      { kind: 'audience-question-updated', question },
      ...(isUnpinned ? [{ kind: 'session-stage-saved', session: saved } as const] : []),
    ]);
    if (!isSaved) return { ok: false, error: NOT_SAVED };
    this.deps.notifier.qaChanged(this);
    // The pinned question's text, status and count are part of the stage the projector shows.
    if (isUnpinned || this.session.stage.pinnedQuestionId === question.id) this.deps.notifier.stageChanged(this, false);
    return answer(qaQuestionView(this, question));
  }

  /** Resolves once every write accepted before this call is committed (and applied in memory). */
  async settled(): Promise<void> {
    await this.commit([]);
  }

  private async changeStage(stage: Stage): Promise<Ack<StageView>> {
    const isTimerChanged = stage.timer !== this.session.stage.timer;
    this.session = { ...this.session, stage };
    const saved = this.session;
    if (!(await this.commit([{ kind: 'session-stage-saved', session: saved }]))) return { ok: false, error: NOT_SAVED };
    this.deps.notifier.stageChanged(this, isTimerChanged);
    return answer(stageView(this));
  }

  private findAudienceQuestion(questionId: string): AudienceQuestion | null {
    return this.audienceQuestions.find((question) => question.id === questionId) ?? null;
  }

  private newRound(questionId: string): NewRound {
    const question = findQuestion(this.course, questionId);
    return { id: this.deps.newId(), optionKeys: question ? optionsOf(question).map((option) => option.key) : [] };
  }

  private async updateRound(decision: Decision<Round>): Promise<Ack<PresenterRoundView>> {
    const running = requireRunning(this.session);
    if (!running.ok) return refused(running);
    if (!decision.ok) return refused(decision);
    const round = decision.value;
    this.replaceRound(round);
    if (!(await this.commit([{ kind: 'round-updated', round }]))) return { ok: false, error: NOT_SAVED };
    this.deps.notifier.roundChanged(this, 'updated');
    return answer(this.requireRoundView(round.id));
  }

  /** Changes the state in memory at once (the next command sees it), then commits it with the deck's move, if any. */
  private applyRoundChange(change: RoundChange, move: DeckMove | null = null): Promise<boolean> {
    const { session, closedRound, openedRound } = change;
    this.session = { ...this.session, ...session };
    if (closedRound) this.replaceRound(closedRound);
    if (openedRound) this.rounds.push(openedRound);
    const saved = this.session;
    return this.commit([
      ...(closedRound ? [{ kind: 'round-updated', round: closedRound } as const] : []),
      ...(openedRound ? [{ kind: 'round-inserted', round: openedRound } as const] : []),
      { kind: 'session-position-saved', session: saved },
      ...(move ? [{ kind: 'deck-move-appended', sessionId: saved.id, move } as const] : []),
    ]);
  }

  private replaceRound(round: Round): void {
    const index = this.rounds.findIndex((candidate) => candidate.id === round.id);
    if (index >= 0) this.rounds[index] = round;
  }

  private findRound(roundId: string | null): Round | null {
    return this.rounds.find((round) => round.id === roundId) ?? null;
  }

  /** The answer to a round command: that round as it is now, even if another was asked meanwhile. */
  private requireRoundView(roundId: string | null): PresenterRoundView {
    const round = this.findRound(roundId);
    if (!round) throw new Error(`session ${this.session.code} changed round ${roundId}, which it does not have`);
    return presenterRoundView(this, round);
  }

  /**
   * Commits changes already made in memory: a command changes the state at once, so the next command
   * (a vote after a close, a second open) sees it, and its changes queue behind every change accepted
   * before them. When the commit fails, the room reads its state back from storage.
   */
  private async commit(changes: readonly StorageChange[]): Promise<boolean> {
    try {
      await this.deps.storage.commit(changes, this.session.id);
      this.commitsSettled += 1;
      return true;
    } catch (error) {
      this.commitsSettled += 1;
      this.deps.logger.error({ err: error, session: this.session.code }, 'a write failed; the session is reloaded from storage');
      await this.reload();
      return false;
    }
  }

  /** One reload at a time: a failure while one is under way joins it. */
  private reload(): Promise<void> {
    this.reloading ??= this.readBack()
      .catch((error: unknown) => this.deps.logger.error({ err: error, session: this.session.code }, 'the session could not be reloaded from storage'))
      .finally(() => (this.reloading = null));
    return this.reloading;
  }

  /**
   * Reads the state back from storage. A commit that settles while the read is under way may be missing
   * from what was read, so the read is repeated until none did (a few times at most).
   */
  private async readBack(): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const settledBefore = this.commitsSettled;
      const stored = await this.deps.storage.sessions.findById(this.session.id);
      if (!stored) return;
      const state = await readRoomState(this.deps.storage, stored);
      if (this.commitsSettled === settledBefore || attempt === 2) return this.adopt(state);
    }
  }
}

/** Sets each participant's status and, when there are any, logs what the presenter did. */
function participantStatusChanges(ids: readonly string[], status: ParticipantStatus, event: AuditEvent): StorageChange[] {
  return [
    ...ids.map((participantId): StorageChange => ({ kind: 'participant-status-set', participantId, status })),
    ...(ids.length > 0 ? [{ kind: 'audit-appended', event } as const] : []),
  ];
}

function countAdmitted(participants: ReadonlyMap<string, Participant>): number {
  return [...participants.values()].filter((participant) => participant.status === 'admitted').length;
}
