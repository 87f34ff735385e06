import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openRound } from '../../../server/domain/poll.ts';
import { EMPTY_STAGE } from '../../../server/domain/stage.ts';
import { openDatabase } from '../../../server/storage/database.ts';
import { migrations } from '../../../server/storage/migrations.ts';
import { openSqliteStorage } from '../../../server/storage/sqlite-storage.ts';
import type { Storage, StoredSession } from '../../../server/storage/storage.ts';
import { SessionSettings } from '../../../shared/protocol.ts';
import { countVoters, openSql, storedVotes } from '../../support/sql.ts';
import { makeDataDir } from '../../support/test-app.ts';

let storages: Storage[] = [];
afterEach(() => {
  for (const storage of storages) storage.close();
  storages = [];
});

function open(dataDir = makeDataDir()): Storage {
  const storage = openSqliteStorage(dataDir);
  storages.push(storage);
  return storage;
}

function openWithDir(): { storage: Storage; dataDir: string } {
  const dataDir = makeDataDir();
  return { storage: open(dataDir), dataDir };
}

const session: StoredSession = {
  id: 's1',
  code: 'ACDEFG',
  title: '研修',
  courseId: 'sample',
  variantId: 'short',
  state: 'lobby',
  currentSlideId: null,
  currentRoundId: null,
  currentTestRunId: null,
  settings: SessionSettings.parse({ groups: ['1班', '2班'] }),
  stage: EMPTY_STAGE,
  createdAt: 1,
  presenterKeyHash: 'a'.repeat(64),
  organizerKeyHash: 'b'.repeat(64),
};

function seed(storage: Storage): void {
  storage.sessions.insert(session);
  storage.participants.insert({ id: 'p1', sessionId: 's1', nickname: null, group: '1班', status: 'admitted', joinedAt: 2 }, 'hash-1');
  storage.participants.insert({ id: 'p2', sessionId: 's1', nickname: 'B', group: null, status: 'pending', joinedAt: 3 }, 'hash-2');
  storage.polls.insertRound(openRound({ id: 'r1', sessionId: 's1', questionId: 'q', optionKeys: ['o', 'x'], earlierRounds: [] }, 10));
}

describe('SQLite storage', () => {
  it('runs in WAL mode with full sync and is migrated once', () => {
    const dataDir = makeDataDir();
    const db = openDatabase(dataDir);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
    db.close();
    const first = open(dataDir);
    seed(first);
    const second = open(dataDir);
    expect(second.sessions.findByCode('ACDEFG')).toEqual(session);
  });

  it('moves the votes of a version 1 database into the vote log', () => {
    const dataDir = makeDataDir();
    const v1 = new Database(path.join(dataDir, 'kotae.sqlite'));
    v1.exec(migrations[0]!.sql);
    v1.pragma('user_version = 1');
    v1.prepare("INSERT INTO sessions VALUES ('s1', 'ACDEFG', 't', 'c', 'v', 'live', NULL, 'h', 'h', 1)").run();
    v1.prepare("INSERT INTO participants VALUES ('p1', 's1', 'th', NULL, 1)").run();
    v1.prepare(`INSERT INTO rounds VALUES ('r1', 's1', 'q', 1, '["o","x"]', 'open', 1, NULL, NULL)`).run();
    v1.prepare("INSERT INTO votes VALUES ('r1', 'p1', 'x', 5, 2)").run();
    v1.close();
    const storage = open(dataDir);
    expect(storage.polls.votesOfSession('s1')).toEqual([{ roundId: 'r1', participantId: 'p1', choice: 'x', castAt: 5 }]);
    expect(storage.sessions.findByCode('ACDEFG')).toMatchObject({ currentRoundId: 'r1', settings: { groups: [] } });
    expect(storage.polls.roundsOf('s1')).toMatchObject([{ id: 'r1', status: 'open', closedBy: null }]);
  });

  it('keeps one vote per participant and round, counting changes', () => {
    const { storage, dataDir } = openWithDir();
    seed(storage);
    storage.polls.saveVote({ roundId: 'r1', participantId: 'p1', choice: 'o', castAt: 11 });
    storage.polls.saveVote({ roundId: 'r1', participantId: 'p1', choice: 'x', castAt: 12 });
    storage.polls.saveVote({ roundId: 'r1', participantId: 'p2', choice: 'o', castAt: 13 });
    expect(storage.polls.votesOfSession('s1').sort((a, b) => a.castAt - b.castAt)).toEqual([
      { roundId: 'r1', participantId: 'p1', choice: 'x', castAt: 12 },
      { roundId: 'r1', participantId: 'p2', choice: 'o', castAt: 13 },
    ]);
    const sql = openSql(dataDir);
    expect(sql.prepare("SELECT changes FROM votes WHERE participant_id = 'p1'").get()).toEqual({ changes: 1 });
    sql.close();
  });

  it('finds a participant by token hash only within its own session', () => {
    const storage = open();
    seed(storage);
    expect(storage.participants.findByToken('s1', 'hash-2')).toMatchObject({ id: 'p2', nickname: 'B' });
    expect(storage.participants.findByToken('other', 'hash-2')).toBeUndefined();
    expect(storage.participants.allInSession('s1').map((participant) => [participant.id, participant.group])).toEqual([
      ['p1', '1班'],
      ['p2', null],
    ]);
  });

  it('keeps test runs and replaces a participant\'s attempt as the answers are saved', () => {
    const storage = open();
    seed(storage);
    storage.tests.insertRun({ id: 't1', sessionId: 's1', kind: 'post', itemIds: ['a', 'b'], status: 'open', openedAt: 20, closedAt: null });
    storage.tests.saveAttempt({ runId: 't1', participantId: 'p1', answers: { a: 'o' }, position: 0, submittedAt: null });
    storage.tests.saveAttempt({ runId: 't1', participantId: 'p1', answers: { a: 'o', b: 'x' }, position: 2, submittedAt: 30 });
    storage.tests.updateRun({ id: 't1', sessionId: 's1', kind: 'post', itemIds: ['a', 'b'], status: 'closed', openedAt: 20, closedAt: 40 });
    expect(storage.tests.runsOf('s1')).toEqual([{ id: 't1', sessionId: 's1', kind: 'post', itemIds: ['a', 'b'], status: 'closed', openedAt: 20, closedAt: 40 }]);
    expect(storage.tests.attemptsOfSession('s1')).toEqual([{ runId: 't1', participantId: 'p1', answers: { a: 'o', b: 'x' }, position: 2, submittedAt: 30 }]);
  });
});

describe('sessions for the organizer', () => {
  const other: StoredSession = { ...session, id: 's2', code: 'CDEFGH', createdAt: 5 };

  it('lists every session newest first with its participants, rounds and votes', () => {
    const storage = open();
    seed(storage);
    storage.sessions.insert(other);
    storage.polls.saveVote({ roundId: 'r1', participantId: 'p1', choice: 'o', castAt: 11 });
    storage.polls.saveVote({ roundId: 'r1', participantId: 'p1', choice: 'x', castAt: 12 });
    expect(storage.sessions.list().map(({ session: listed, participants, rounds, votes }) => ({ code: listed.code, participants, rounds, votes }))).toEqual([
      { code: 'CDEFGH', participants: 0, rounds: 0, votes: 0 },
      { code: 'ACDEFG', participants: 2, rounds: 1, votes: 1 },
    ]);
  });

  it('deletes a session with every row about it and leaves the others alone', () => {
    const { storage, dataDir } = openWithDir();
    seed(storage);
    storage.sessions.insert(other);
    storage.participants.insert({ id: 'p3', sessionId: 's2', nickname: null, group: null, status: 'admitted', joinedAt: 6 }, 'hash-3');
    storage.polls.saveVote({ roundId: 'r1', participantId: 'p1', choice: 'o', castAt: 11 });
    storage.sessions.delete('s1');
    const sql = openSql(dataDir);
    const count = (table: string, where: string): number => (sql.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n;
    expect([count('sessions', "id = 's1'"), count('participants', "session_id = 's1'"), count('rounds', "session_id = 's1'"), count('vote_events', '1')]).toEqual([0, 0, 0, 0]);
    expect([count('sessions', "id = 's2'"), count('participants', "session_id = 's2'")]).toEqual([1, 1]);
    sql.close();
  });

  it('keeps admin logins until they expire', () => {
    const storage = open();
    storage.adminLogins.insert({ tokenHash: 'h1', csrfToken: 'c1', expiresAt: 100 });
    storage.adminLogins.insert({ tokenHash: 'h2', csrfToken: 'c2', expiresAt: 200 });
    storage.adminLogins.deleteExpired(100);
    expect(storage.adminLogins.find('h1')).toBeUndefined();
    expect(storage.adminLogins.find('h2')).toEqual({ tokenHash: 'h2', csrfToken: 'c2', expiresAt: 200 });
  });
});

describe('commit (group commit)', () => {
  it('defers writes queued in the same turn and resolves them once they are committed', async () => {
    const { storage, dataDir } = openWithDir();
    seed(storage);
    const writes = [1, 2].map((n) =>
      storage.commit(() => {
        storage.polls.saveVote({ roundId: 'r1', participantId: `p${n}`, choice: 'o', castAt: n });
      }),
    );
    expect(countVoters(dataDir, 'r1')).toBe(0);
    await Promise.all(writes);
    expect(storedVotes(dataDir, 'r1')).toEqual([
      { participantId: 'p1', choice: 'o' },
      { participantId: 'p2', choice: 'o' },
    ]);
  });

  it('rolls back the whole batch and rejects every write in it when one fails', async () => {
    const { storage, dataDir } = openWithDir();
    seed(storage);
    const good = storage.commit(() => storage.polls.saveVote({ roundId: 'r1', participantId: 'p1', choice: 'o', castAt: 1 }));
    const bad = storage.commit(() => storage.polls.saveVote({ roundId: 'r1', participantId: 'ghost', choice: 'o', castAt: 2 }));
    await expect(good).rejects.toThrow();
    await expect(bad).rejects.toThrow(/FOREIGN KEY/);
    expect(countVoters(dataDir, 'r1')).toBe(0);
  });
});
