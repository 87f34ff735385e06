/**
 * One running session: the only owner of its state (session, deck position, rounds, votes,
 * participant count) and of the commands that change it. A command asks the pure domain for the
 * decision, changes the state in memory, commits it through the storage port, tells the notifier,
 * and answers with the contract's type. The state is a cache of storage: when a commit fails, the
 * room reloads itself from storage.
 */
import type { Course } from '../../shared/course.ts';
import { ErrorCode, type Ack, type DeckPosition, type ErrorBody, type Joined, type PresenterRoundView, type VoteRecorded } from '../../shared/contract.ts';
import type { DeckPlan } from '../course/deck-plan.ts';
import { findQuestion, optionsOf } from '../course/course-catalog.ts';
import { askQuestion, moveDeck, type NewRound, type RoundChange } from '../domain/deck.ts';
import type { Decision } from '../domain/domain-error.ts';
import type { Participant } from '../domain/participant.ts';
import { castVote, closeRound, revealRound, type Round } from '../domain/poll.ts';
import type { Storage, StoredSession } from '../storage/storage.ts';
import { deckPosition, presenterRoundView } from './projections.ts';
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

/** What the transports are told after a change has been committed. */
export interface RoomNotifier {
  deckMoved(room: ReadonlyRoom, chapterChanged: boolean): void;
  roundChanged(room: ReadonlyRoom, kind: RoundChangeKind): void;
  votesChanged(room: ReadonlyRoom): void;
  participantsChanged(room: ReadonlyRoom): void;
}

/** What projections may read of a room. */
export interface ReadonlyRoom {
  readonly session: Readonly<StoredSession>;
  readonly course: Course;
  readonly deck: DeckPlan;
  readonly rounds: readonly Round[];
  readonly participantCount: number;
  currentRound(): Round | null;
  /** The committed votes of a round: participant id -> choice. */
  votesIn(roundId: string): ReadonlyMap<string, string>;
}

/** What a room is loaded from. */
export interface RoomState {
  session: StoredSession;
  rounds: Round[];
  votes: Map<string, Map<string, string>>;
  participantCount: number;
}

export interface RoomDeps {
  storage: Storage;
  clock: Clock;
  notifier: RoomNotifier;
  newId(): string;
}

const NOT_SAVED: ErrorBody = { code: ErrorCode.internal, message: 'the change could not be saved; nothing was changed' };
const NO_VOTES: ReadonlyMap<string, string> = new Map();

function answer<T>(data: T): Ack<T> {
  return { ok: true, data };
}

function refused<T>(decision: Decision<unknown> & { ok: false }): Ack<T> {
  return { ok: false, error: decision.error };
}

/** Reads a room's state from storage. */
export function readRoomState(storage: Storage, session: StoredSession): RoomState {
  const votes = new Map<string, Map<string, string>>();
  for (const vote of storage.polls.votesOfSession(session.id)) {
    let ofRound = votes.get(vote.roundId);
    if (!ofRound) votes.set(vote.roundId, (ofRound = new Map()));
    ofRound.set(vote.participantId, vote.choice);
  }
  return {
    session,
    rounds: storage.polls.roundsOf(session.id),
    votes,
    participantCount: storage.participants.countInSession(session.id),
  };
}

export class SessionRoom implements ReadonlyRoom {
  session: StoredSession;
  rounds: Round[];
  participantCount: number;
  private votes: Map<string, Map<string, string>>;

  constructor(
    readonly course: Course,
    readonly deck: DeckPlan,
    state: RoomState,
    private readonly deps: RoomDeps,
  ) {
    this.session = state.session;
    this.rounds = state.rounds;
    this.votes = state.votes;
    this.participantCount = state.participantCount;
  }

  currentRound(): Round | null {
    return this.findRound(this.session.currentRoundId);
  }

  votesIn(roundId: string): ReadonlyMap<string, string> {
    return this.votes.get(roundId) ?? NO_VOTES;
  }

  /** Adds a participant; resolves once stored, so a crowd scanning the QR at once shares commits. */
  async join(nickname: string | undefined): Promise<Ack<Joined>> {
    const token = newSecret();
    const participant: Participant = {
      id: this.deps.newId(),
      sessionId: this.session.id,
      nickname: nickname && nickname.length > 0 ? nickname : null,
      joinedAt: this.deps.clock.now(),
    };
    this.participantCount += 1;
    if (!(await this.commit(() => this.deps.storage.participants.insert(participant, hashSecret(token))))) return { ok: false, error: NOT_SAVED };
    this.deps.notifier.participantsChanged(this);
    return answer({ participantId: participant.id, token });
  }

  /** Moves the deck and applies the deck and round rules (server/domain/deck.ts). */
  async goTo(slideId: string): Promise<Ack<DeckPosition>> {
    const target = this.deck.find(slideId);
    if (!target) return { ok: false, error: { code: ErrorCode.slideNotFound, message: `slide "${slideId}" is not in this session's deck` } };
    const before = { chapterId: deckPosition(this).chapterId, roundId: this.session.currentRoundId };
    const change = moveDeck(this.session, this.rounds, target, (questionId) => this.newRound(questionId), this.deps.clock.now());
    if (!(await this.applyRoundChange(change))) return { ok: false, error: NOT_SAVED };
    const position = deckPosition(this);
    this.deps.notifier.deckMoved(this, position.chapterId !== before.chapterId);
    if (change.session.currentRoundId !== before.roundId) {
      const kind: RoundChangeKind = change.openedRound ? 'opened' : change.session.currentRoundId === null ? 'cleared' : 'returned';
      this.deps.notifier.roundChanged(this, kind);
    } else if (change.closedRound) {
      this.deps.notifier.roundChanged(this, 'updated');
    }
    return answer(position);
  }

  /** Asks a question as a new round: its first, or a re-vote after discussion. */
  async askQuestion(questionId: string): Promise<Ack<PresenterRoundView>> {
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

  /** Records a vote; resolves once it is committed, which is when it may be acknowledged. */
  async castVote(participantId: string, roundId: string, choice: string): Promise<Ack<VoteRecorded>> {
    // Only the current round can be open, so a vote names it or is refused as not open.
    const decision = castVote(this.findRound(roundId), participantId, roundId, choice, this.deps.clock.now());
    if (!decision.ok) return refused(decision);
    const vote = decision.value;
    if (!(await this.commit(() => this.deps.storage.polls.saveVote(vote)))) return { ok: false, error: NOT_SAVED };
    // The vote was accepted while its round was open; it counts in that round even if the deck has
    // moved on while it was being committed, and only that round's tally changes.
    let ofRound = this.votes.get(vote.roundId);
    if (!ofRound) this.votes.set(vote.roundId, (ofRound = new Map()));
    ofRound.set(vote.participantId, vote.choice);
    if (this.session.currentRoundId === vote.roundId) this.deps.notifier.votesChanged(this);
    return answer({ roundId: vote.roundId, choice: vote.choice });
  }

  /** Resolves once every write accepted before this call is committed (and applied in memory). */
  async settled(): Promise<void> {
    await this.commit(() => {});
  }

  private newRound(questionId: string): NewRound {
    const question = findQuestion(this.course, questionId);
    return { id: this.deps.newId(), optionKeys: question ? optionsOf(question).map((option) => option.key) : [] };
  }

  private async updateRound(decision: Decision<Round>): Promise<Ack<PresenterRoundView>> {
    if (!decision.ok) return refused(decision);
    const round = decision.value;
    this.replaceRound(round);
    if (!(await this.commit(() => this.deps.storage.polls.updateRound(round)))) return { ok: false, error: NOT_SAVED };
    this.deps.notifier.roundChanged(this, 'updated');
    return answer(this.requireRoundView(round.id));
  }

  /** Changes the state in memory at once (the next command sees it), then commits it. */
  private applyRoundChange(change: RoundChange): Promise<boolean> {
    const { session, closedRound, openedRound } = change;
    this.session = { ...this.session, ...session };
    if (closedRound) this.replaceRound(closedRound);
    if (openedRound) this.rounds.push(openedRound);
    const saved = this.session;
    return this.commit(() => {
      if (closedRound) this.deps.storage.polls.updateRound(closedRound);
      if (openedRound) this.deps.storage.polls.insertRound(openedRound);
      this.deps.storage.sessions.savePosition(saved);
    });
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
   * Commits a write whose change is already in memory: a command changes the state at once, so the
   * next command (a vote after a close, a second open) sees it, and its write queues behind every write
   * accepted before it. When the commit fails, the room reads its state back from storage.
   */
  private async commit(write: () => void): Promise<boolean> {
    try {
      await this.deps.storage.commit(write);
      return true;
    } catch (error) {
      console.error(`kotae: a write of session ${this.session.code} failed; reloading it from storage`, error);
      this.reload();
      return false;
    }
  }

  private reload(): void {
    const stored = this.deps.storage.sessions.findById(this.session.id);
    if (!stored) return;
    const state = readRoomState(this.deps.storage, stored);
    this.session = state.session;
    this.rounds = state.rounds;
    this.votes = state.votes;
    this.participantCount = state.participantCount;
  }
}
