import type { StorageChange } from '../storage-change.ts';
import { PostgresAdminLoginRepository } from './admin-login.repository.ts';
import type { Queryable } from './database.ts';
import { PostgresParticipantRepository } from './participant.repository.ts';
import { PostgresPollRepository, type VoteToSave } from './poll.repository.ts';
import { PostgresQaRepository } from './qa.repository.ts';
import { PostgresSessionRepository } from './session.repository.ts';
import { PostgresTestRepository } from './test.repository.ts';

/** The PostgreSQL repositories, reading through one pool, with their write methods. */
export interface PostgresRepositories {
  sessions: PostgresSessionRepository;
  participants: PostgresParticipantRepository;
  polls: PostgresPollRepository;
  tests: PostgresTestRepository;
  adminLogins: PostgresAdminLoginRepository;
  qa: PostgresQaRepository;
}

export function openPostgresRepositories(reader: Queryable): PostgresRepositories {
  return {
    sessions: new PostgresSessionRepository(reader),
    participants: new PostgresParticipantRepository(reader),
    polls: new PostgresPollRepository(reader),
    tests: new PostgresTestRepository(reader),
    adminLogins: new PostgresAdminLoginRepository(reader),
    qa: new PostgresQaRepository(reader),
  };
}

/**
 * Applies the changes in order on `db` (inside the caller's transaction). Votes that follow each other
 * in the list are written by one statement, in the same order.
 */
export async function applyPostgresChanges(db: Queryable, repositories: PostgresRepositories, changes: readonly StorageChange[]): Promise<void> {
  let votes: VoteToSave[] = [];
  for (const change of changes) {
    if (change.kind === 'vote-saved') {
      votes.push({ vote: change.vote, voteId: change.voteId });
      continue;
    }
    if (votes.length > 0) await repositories.polls.saveVotes(db, votes);
    votes = [];
    await applyPostgresChange(db, repositories, change);
  }
  if (votes.length > 0) await repositories.polls.saveVotes(db, votes);
}

/** The one place a change (other than a vote) becomes a PostgreSQL write. */
function applyPostgresChange(db: Queryable, repositories: PostgresRepositories, change: Exclude<StorageChange, { kind: 'vote-saved' }>): Promise<void> {
  const { sessions, participants, polls, tests, adminLogins, qa } = repositories;
  switch (change.kind) {
    case 'session-inserted':
      return sessions.insert(db, change.session);
    case 'session-position-saved':
      return sessions.savePosition(db, change.session);
    case 'session-stage-saved':
      return sessions.saveStage(db, change.session);
    case 'session-settings-saved':
      return sessions.saveSettings(db, change.session);
    case 'presenter-key-saved':
      return sessions.savePresenterKeyHash(db, change.sessionId, change.presenterKeyHash);
    case 'session-deleted':
      return sessions.delete(db, change.sessionId);
    case 'deck-move-appended':
      return sessions.appendMove(db, change.sessionId, change.move);
    case 'participant-inserted':
      return participants.insert(db, change.participant, change.tokenHash);
    case 'participant-status-set':
      return participants.setStatus(db, change.participantId, change.status);
    case 'audit-appended':
      return participants.audit(db, change.event);
    case 'round-inserted':
      return polls.insertRound(db, change.round);
    case 'round-updated':
      return polls.updateRound(db, change.round);
    case 'test-run-inserted':
      return tests.insertRun(db, change.run);
    case 'test-run-updated':
      return tests.updateRun(db, change.run);
    case 'test-attempt-saved':
      return tests.saveAttempt(db, change.attempt);
    case 'audience-question-inserted':
      return qa.insertQuestion(db, change.question);
    case 'audience-question-updated':
      return qa.updateQuestion(db, change.question);
    case 'upvote-saved':
      return qa.saveUpvote(db, change.upvote);
    case 'admin-login-inserted':
      return adminLogins.insert(db, change.login);
    case 'admin-login-deleted':
      return adminLogins.delete(db, change.tokenHash);
    case 'expired-admin-logins-deleted':
      return adminLogins.deleteExpired(db, change.now);
    default:
      return assertNever(change);
  }
}

function assertNever(change: never): never {
  throw new Error(`unknown storage change ${JSON.stringify(change)}`);
}
