/**
 * The storage port: what a session room and the registry may ask of storage. Every read answers with a
 * promise; every write is a list of changes given to `commit`, which resolves once they are durable.
 * SQLite implements it (sqlite-storage.ts) and PostgreSQL too (postgres/postgres-storage.ts); both pass
 * one contract suite (tests/unit/storage/storage.test.ts).
 */
import type { TestAttempt, TestRun } from '../domain/knowledge-test.ts';
import type { DeckMove } from '../domain/pacing.ts';
import type { Participant } from '../domain/participant.ts';
import type { Round, Vote } from '../domain/poll.ts';
import type { AudienceQuestion, Upvote } from '../domain/qa.ts';
import type { Session } from '../domain/session.ts';
import type { StorageChange } from './storage-change.ts';

export type { StorageChange } from './storage-change.ts';

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

/** Reads of sessions and their deck moves. */
export interface SessionRepository {
  findByCode(code: string): Promise<StoredSession | undefined>;
  findById(id: string): Promise<StoredSession | undefined>;
  /** Every session, newest first, with its counts. */
  list(): Promise<SessionListing[]>;
  /** The session's deck moves, oldest first. */
  movesOf(sessionId: string): Promise<DeckMove[]>;
}

/** Reads of participants. */
export interface ParticipantRepository {
  findByToken(sessionId: string, tokenHash: string): Promise<Participant | undefined>;
  /** Every participant of the session, in the order they joined. */
  allInSession(sessionId: string): Promise<Participant[]>;
}

/** A line of a session's audit log. */
export interface AuditEvent {
  sessionId: string;
  at: number;
  kind: 'participants-approved' | 'participants-removed';
  detail: Record<string, unknown>;
}

/** Reads of knowledge-test runs and attempts. */
export interface TestRepository {
  /** Every test run of a session, oldest first. */
  runsOf(sessionId: string): Promise<TestRun[]>;
  attemptsOfSession(sessionId: string): Promise<TestAttempt[]>;
}

/** An organizer's login: the hash of the cookie's token, the CSRF token its requests carry, and when it expires. */
export interface AdminLogin {
  tokenHash: string;
  csrfToken: string;
  expiresAt: number;
}

/** Reads of organizer logins. */
export interface AdminLoginRepository {
  find(tokenHash: string): Promise<AdminLogin | undefined>;
}

/** A vote id a participant used in a round: a resend of it is the same vote. */
export interface AppliedVoteId {
  roundId: string;
  participantId: string;
  voteId: string;
}

/** Reads of rounds and their votes. */
export interface PollRepository {
  /** Every round of a session, oldest first. */
  roundsOf(sessionId: string): Promise<Round[]>;
  /** The current vote of each participant in each round of the session. */
  votesOfSession(sessionId: string): Promise<Vote[]>;
  /** Every vote id used in the session's rounds (votes sent without one have none). */
  voteIdsOfSession(sessionId: string): Promise<AppliedVoteId[]>;
}

/** Reads of audience questions and their upvotes. */
export interface QaRepository {
  /** Every audience question of a session, oldest first. */
  questionsOf(sessionId: string): Promise<AudienceQuestion[]>;
  /** Every upvote of the session's questions. */
  upvotesOf(sessionId: string): Promise<Upvote[]>;
}

/** The port: reads through the repositories, every write through `commit`. */
export interface Storage {
  sessions: SessionRepository;
  participants: ParticipantRepository;
  polls: PollRepository;
  tests: TestRepository;
  adminLogins: AdminLoginRepository;
  qa: QaRepository;
  /**
   * Applies the changes in order, in one transaction with those of every commit queued in the same
   * turn of the event loop, after every commit queued before; resolves once that transaction is
   * durable (when a vote may be acknowledged) and rejects, with every commit of its batch, when it
   * was rolled back. An empty commit resolves once every earlier commit has settled.
   *
   * `sessionId` names the running session the changes are written for (a room's commits): with
   * several nodes, the transaction checks that this node still owns it, and fails otherwise.
   */
  commit(changes: readonly StorageChange[], sessionId?: string): Promise<void>;
  /** Commits what is queued, then closes. */
  close(): Promise<void>;
}
