import type { TestAttempt, TestRun } from '../domain/knowledge-test.ts';
import type { DeckMove } from '../domain/pacing.ts';
import type { Participant, ParticipantStatus } from '../domain/participant.ts';
import type { Round, Vote } from '../domain/poll.ts';
import type { AudienceQuestion, Upvote } from '../domain/qa.ts';
import type { Session } from '../domain/session.ts';
import type { AdminLogin, AuditEvent, StoredSession } from './storage.ts';

/**
 * One write to storage, as plain data (structured-clonable: it may be committed on another thread).
 * `Storage.commit` takes a list of them and applies them in order, in one transaction.
 */
export type StorageChange =
  | { kind: 'session-inserted'; session: StoredSession }
  /** The session's state, deck position, current round and current test run. */
  | { kind: 'session-position-saved'; session: Session }
  /** What the presenter screens show over the slides. */
  | { kind: 'session-stage-saved'; session: Session }
  | { kind: 'session-settings-saved'; session: Session }
  /** Replaces the presenter key's hash: the previous key stops working. */
  | { kind: 'presenter-key-saved'; sessionId: string; presenterKeyHash: string }
  /** The session and every row about it: participants, rounds, votes and all else keyed by it. */
  | { kind: 'session-deleted'; sessionId: string }
  /** A move of the deck, appended to the session's log (for pacing). */
  | { kind: 'deck-move-appended'; sessionId: string; move: DeckMove }
  | { kind: 'participant-inserted'; participant: Participant; tokenHash: string }
  /** Admits, or removes (their votes then drop out of the votes view). */
  | { kind: 'participant-status-set'; participantId: string; status: ParticipantStatus }
  /** What the presenter did to participants, with what it changed. */
  | { kind: 'audit-appended'; event: AuditEvent }
  | { kind: 'round-inserted'; round: Round }
  /** The round's status and when and by whom it was closed and revealed. */
  | { kind: 'round-updated'; round: Round }
  /**
   * A vote; a later vote of the same participant in the round replaces it. A vote whose id the
   * participant already used in the round is not saved again (a resend), and changes nothing.
   */
  | { kind: 'vote-saved'; vote: Vote; voteId: string | null }
  | { kind: 'test-run-inserted'; run: TestRun }
  /** The run's status and when it closed. */
  | { kind: 'test-run-updated'; run: TestRun }
  /** An attempt, replacing the participant's earlier state of it. */
  | { kind: 'test-attempt-saved'; attempt: TestAttempt }
  | { kind: 'audience-question-inserted'; question: AudienceQuestion }
  /** The question's status. */
  | { kind: 'audience-question-updated'; question: AudienceQuestion }
  | { kind: 'upvote-saved'; upvote: Upvote }
  | { kind: 'admin-login-inserted'; login: AdminLogin }
  | { kind: 'admin-login-deleted'; tokenHash: string }
  /** Every admin login that expires at or before `now`. */
  | { kind: 'expired-admin-logins-deleted'; now: number };
