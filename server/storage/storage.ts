/**
 * The storage port: what a session room and the registry may ask of storage. Reads answer at once;
 * every write goes through `commit`, which resolves once it is durable. SQLite implements it
 * (sqlite-storage.ts); a second engine is a second implementation of these interfaces.
 */
import type { TestAttempt, TestRun } from '../domain/knowledge-test.ts';
import type { DeckMove } from '../domain/pacing.ts';
import type { Participant, ParticipantStatus } from '../domain/participant.ts';
import type { Round, Vote } from '../domain/poll.ts';
import type { AudienceQuestion, Upvote } from '../domain/qa.ts';
import type { Session } from '../domain/session.ts';

/** A session with the hashes of its capability keys (never sent to any client). */
export interface StoredSession extends Session {
  presenterKeyHash: string;
  organizerKeyHash: string;
}

/** A stored session with how much it holds, for the all-sessions page. */
export interface SessionListing {
  session: StoredSession;
  participants: number;
  /** Rounds asked (leftovers included). */
  rounds: number;
  /** Current votes over all rounds. */
  votes: number;
}

export interface SessionRepository {
  insert(session: StoredSession): void;
  findByCode(code: string): StoredSession | undefined;
  findById(id: string): StoredSession | undefined;
  /** Every session, newest first, with its counts. */
  list(): SessionListing[];
  /** Saves the session's state, deck position and current round. */
  savePosition(session: Session): void;
  /** Replaces the presenter key's hash (the previous key stops working). */
  savePresenterKeyHash(sessionId: string, presenterKeyHash: string): void;
  /** Deletes the session and every row about it: participants, rounds, votes and all else keyed by it. */
  delete(sessionId: string): void;
  /** Saves what the presenter screens show over the slides. */
  saveStage(session: Session): void;
  saveSettings(session: Session): void;
  /** Appends a move of the deck to the session's log (for pacing). */
  appendMove(sessionId: string, move: DeckMove): void;
  /** The session's deck moves, oldest first. */
  movesOf(sessionId: string): DeckMove[];
}

export interface ParticipantRepository {
  insert(participant: Participant, tokenHash: string): void;
  findByToken(sessionId: string, tokenHash: string): Participant | undefined;
  /** Every participant of the session, in the order they joined. */
  allInSession(sessionId: string): Participant[];
  /** Admits, or removes (their votes then drop out of the votes view). */
  setStatus(participantId: string, status: ParticipantStatus): void;
  /** Records what the presenter did to participants, with what it changed. */
  audit(event: AuditEvent): void;
}

/** A line of a session's audit log. */
export interface AuditEvent {
  sessionId: string;
  at: number;
  kind: 'participants-approved' | 'participants-removed';
  detail: Record<string, unknown>;
}

export interface TestRepository {
  insertRun(run: TestRun): void;
  updateRun(run: TestRun): void;
  /** Every test run of a session, oldest first. */
  runsOf(sessionId: string): TestRun[];
  /** Saves an attempt, replacing the participant's earlier state of it. */
  saveAttempt(attempt: TestAttempt): void;
  attemptsOfSession(sessionId: string): TestAttempt[];
}

/** An organizer's login: the hash of the cookie's token, the CSRF token its requests carry, and when it expires. */
export interface AdminLogin {
  tokenHash: string;
  csrfToken: string;
  expiresAt: number;
}

export interface AdminLoginRepository {
  insert(login: AdminLogin): void;
  find(tokenHash: string): AdminLogin | undefined;
  delete(tokenHash: string): void;
  deleteExpired(now: number): void;
}

export interface PollRepository {
  insertRound(round: Round): void;
  updateRound(round: Round): void;
  /** Every round of a session, oldest first. */
  roundsOf(sessionId: string): Round[];
  /** Records a vote; a later vote of the same participant in the round replaces it. */
  saveVote(vote: Vote): void;
  /** The current vote of each participant in each round of the session. */
  votesOfSession(sessionId: string): Vote[];
}

export interface QaRepository {
  insertQuestion(question: AudienceQuestion): void;
  /** Saves a question's status. */
  updateQuestion(question: AudienceQuestion): void;
  /** Every audience question of a session, oldest first. */
  questionsOf(sessionId: string): AudienceQuestion[];
  saveUpvote(upvote: Upvote): void;
  /** Every upvote of the session's questions. */
  upvotesOf(sessionId: string): Upvote[];
}

export interface Storage {
  sessions: SessionRepository;
  participants: ParticipantRepository;
  polls: PollRepository;
  tests: TestRepository;
  adminLogins: AdminLoginRepository;
  qa: QaRepository;
  /**
   * Runs `write` (repository calls only) in a transaction, together with the writes queued in the same
   * turn of the event loop, and resolves once that transaction is durable: when a vote may be acknowledged.
   */
  commit(write: () => void): Promise<void>;
  close(): void;
}
