import { SqliteAdminLoginRepository } from './admin-login.repository.ts';
import type { Db } from './database.ts';
import { SqliteParticipantRepository } from './participant.repository.ts';
import { SqlitePollRepository } from './poll.repository.ts';
import { SqliteQaRepository } from './qa.repository.ts';
import { SqliteSessionRepository } from './session.repository.ts';
import type { StorageChange } from './storage-change.ts';
import { SqliteTestRepository } from './test.repository.ts';

/** The SQLite repositories over one connection, with their write methods. */
export interface SqliteRepositories {
  sessions: SqliteSessionRepository;
  participants: SqliteParticipantRepository;
  polls: SqlitePollRepository;
  tests: SqliteTestRepository;
  adminLogins: SqliteAdminLoginRepository;
  qa: SqliteQaRepository;
}

export function openRepositories(db: Db): SqliteRepositories {
  return {
    sessions: new SqliteSessionRepository(db),
    participants: new SqliteParticipantRepository(db),
    polls: new SqlitePollRepository(db),
    tests: new SqliteTestRepository(db),
    adminLogins: new SqliteAdminLoginRepository(db),
    qa: new SqliteQaRepository(db),
  };
}

/** Applies the changes in order, in one transaction: all of them, or (when one throws) none. */
export function commitChanges(db: Db, repositories: SqliteRepositories, changes: readonly StorageChange[]): void {
  db.transaction(() => {
    for (const change of changes) applyChange(repositories, change);
  })();
}

/** The one place a change becomes a repository write. */
export function applyChange(repositories: SqliteRepositories, change: StorageChange): void {
  const { sessions, participants, polls, tests, adminLogins, qa } = repositories;
  switch (change.kind) {
    case 'session-inserted':
      return sessions.insert(change.session);
    case 'session-position-saved':
      return sessions.savePosition(change.session);
    case 'session-stage-saved':
      return sessions.saveStage(change.session);
    case 'session-settings-saved':
      return sessions.saveSettings(change.session);
    case 'presenter-key-saved':
      return sessions.savePresenterKeyHash(change.sessionId, change.presenterKeyHash);
    case 'session-deleted':
      return sessions.delete(change.sessionId);
    case 'deck-move-appended':
      return sessions.appendMove(change.sessionId, change.move);
    case 'participant-inserted':
      return participants.insert(change.participant, change.tokenHash);
    case 'participant-status-set':
      return participants.setStatus(change.participantId, change.status);
    case 'audit-appended':
      return participants.audit(change.event);
    case 'round-inserted':
      return polls.insertRound(change.round);
    case 'round-updated':
      return polls.updateRound(change.round);
    case 'vote-saved':
      return polls.saveVote(change.vote, change.voteId);
    case 'test-run-inserted':
      return tests.insertRun(change.run);
    case 'test-run-updated':
      return tests.updateRun(change.run);
    case 'test-attempt-saved':
      return tests.saveAttempt(change.attempt);
    case 'audience-question-inserted':
      return qa.insertQuestion(change.question);
    case 'audience-question-updated':
      return qa.updateQuestion(change.question);
    case 'upvote-saved':
      return qa.saveUpvote(change.upvote);
    case 'admin-login-inserted':
      return adminLogins.insert(change.login);
    case 'admin-login-deleted':
      return adminLogins.delete(change.tokenHash);
    case 'expired-admin-logins-deleted':
      return adminLogins.deleteExpired(change.now);
    default:
      return assertNever(change);
  }
}

function assertNever(change: never): never {
  throw new Error(`unknown storage change ${JSON.stringify(change)}`);
}
