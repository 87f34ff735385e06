import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openRound } from '../../../server/domain/poll.ts';
import { EMPTY_STAGE } from '../../../server/domain/stage.ts';
import { openDatabase } from '../../../server/storage/database.ts';
import { migrations } from '../../../server/storage/migrations.ts';
import { openSqliteStorage } from '../../../server/storage/sqlite-storage.ts';
import type { Storage, StorageChange, StoredSession } from '../../../server/storage/storage.ts';
import { SessionSettings } from '../../../shared/protocol.ts';
import { countVoters, openSql, storedVotes } from '../../support/sql.ts';
import { makeDataDir } from '../../support/test-app.ts';

let storages: Storage[] = [];
afterEach(async () => {
  for (const storage of storages) await storage.close();
  storages = [];
});

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

const seedChanges: StorageChange[] = [
  { kind: 'session-inserted', session },
  { kind: 'participant-inserted', participant: { id: 'p1', sessionId: 's1', nickname: null, group: '1班', status: 'admitted', joinedAt: 2 }, tokenHash: 'hash-1' },
  { kind: 'participant-inserted', participant: { id: 'p2', sessionId: 's1', nickname: 'B', group: null, status: 'pending', joinedAt: 3 }, tokenHash: 'hash-2' },
  { kind: 'round-inserted', round: openRound({ id: 'r1', sessionId: 's1', questionId: 'q', optionKeys: ['o', 'x'], earlierRounds: [] }, 10) },
];

function vote(participantId: string, choice: string, castAt: number, voteId: string | null = null): StorageChange {
  return { kind: 'vote-saved', vote: { roundId: 'r1', participantId, choice, castAt }, voteId };
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The choices of the round's stored vote events, in the order they were written. */
function voteLog(dataDir: string): string[] {
  const sql = openSql(dataDir);
  try {
    return (sql.prepare("SELECT participant_id || ':' || choice AS entry FROM vote_events WHERE round_id = 'r1' ORDER BY id").all() as Array<{ entry: string }>).map((row) => row.entry);
  } finally {
    sql.close();
  }
}

describe('SQLite storage', () => {
  function open(dataDir = makeDataDir()): Storage {
    const storage = openSqliteStorage(dataDir);
    storages.push(storage);
    return storage;
  }

  function openWithDir(): { storage: Storage; dataDir: string } {
    const dataDir = makeDataDir();
    return { storage: open(dataDir), dataDir };
  }

  async function seed(storage: Storage): Promise<void> {
    await storage.commit(seedChanges);
  }

  describe('the database', () => {
    it('runs in WAL mode with full sync and is migrated once', async () => {
      const dataDir = makeDataDir();
      const db = openDatabase(dataDir);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
      expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
      db.close();
      const first = open(dataDir);
      await seed(first);
      const second = open(dataDir);
      expect(await second.sessions.findByCode('ACDEFG')).toEqual(session);
    });

    it('moves the votes of a version 1 database into the vote log', async () => {
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
      expect(await storage.polls.votesOfSession('s1')).toEqual([{ roundId: 'r1', participantId: 'p1', choice: 'x', castAt: 5 }]);
      expect(await storage.sessions.findByCode('ACDEFG')).toMatchObject({ currentRoundId: 'r1', settings: { groups: [] } });
      expect(await storage.polls.roundsOf('s1')).toMatchObject([{ id: 'r1', status: 'open', closedBy: null }]);
    });

    it('keeps one vote per participant and round, counting changes', async () => {
      const { storage, dataDir } = openWithDir();
      await seed(storage);
      await storage.commit([vote('p1', 'o', 11), vote('p1', 'x', 12), vote('p2', 'o', 13)]);
      expect((await storage.polls.votesOfSession('s1')).sort((a, b) => a.castAt - b.castAt)).toEqual([
        { roundId: 'r1', participantId: 'p1', choice: 'x', castAt: 12 },
        { roundId: 'r1', participantId: 'p2', choice: 'o', castAt: 13 },
      ]);
      const sql = openSql(dataDir);
      expect(sql.prepare("SELECT changes FROM votes WHERE participant_id = 'p1'").get()).toEqual({ changes: 1 });
      sql.close();
    });

    it('finds a participant by token hash only within its own session', async () => {
      const storage = open();
      await seed(storage);
      expect(await storage.participants.findByToken('s1', 'hash-2')).toMatchObject({ id: 'p2', nickname: 'B' });
      expect(await storage.participants.findByToken('other', 'hash-2')).toBeUndefined();
      expect((await storage.participants.allInSession('s1')).map((participant) => [participant.id, participant.group])).toEqual([
        ['p1', '1班'],
        ['p2', null],
      ]);
    });

    it('keeps test runs and replaces a participant\'s attempt as the answers are saved', async () => {
      const storage = open();
      await seed(storage);
      await storage.commit([
        { kind: 'test-run-inserted', run: { id: 't1', sessionId: 's1', kind: 'post', itemIds: ['a', 'b'], status: 'open', openedAt: 20, closedAt: null } },
        { kind: 'test-attempt-saved', attempt: { runId: 't1', participantId: 'p1', answers: { a: 'o' }, position: 0, submittedAt: null } },
      ]);
      await storage.commit([
        { kind: 'test-attempt-saved', attempt: { runId: 't1', participantId: 'p1', answers: { a: 'o', b: 'x' }, position: 2, submittedAt: 30 } },
        { kind: 'test-run-updated', run: { id: 't1', sessionId: 's1', kind: 'post', itemIds: ['a', 'b'], status: 'closed', openedAt: 20, closedAt: 40 } },
      ]);
      expect(await storage.tests.runsOf('s1')).toEqual([{ id: 't1', sessionId: 's1', kind: 'post', itemIds: ['a', 'b'], status: 'closed', openedAt: 20, closedAt: 40 }]);
      expect(await storage.tests.attemptsOfSession('s1')).toEqual([{ runId: 't1', participantId: 'p1', answers: { a: 'o', b: 'x' }, position: 2, submittedAt: 30 }]);
    });
  });

  describe('sessions for the organizer', () => {
    const other: StoredSession = { ...session, id: 's2', code: 'CDEFGH', createdAt: 5 };

    it('lists every session newest first with its participants, rounds and votes', async () => {
      const storage = open();
      await seed(storage);
      await storage.commit([{ kind: 'session-inserted', session: other }, vote('p1', 'o', 11), vote('p1', 'x', 12)]);
      expect((await storage.sessions.list()).map(({ session: listed, participants, rounds, votes }) => ({ code: listed.code, participants, rounds, votes }))).toEqual([
        { code: 'CDEFGH', participants: 0, rounds: 0, votes: 0 },
        { code: 'ACDEFG', participants: 2, rounds: 1, votes: 1 },
      ]);
    });

    it('deletes a session with every row about it and leaves the others alone', async () => {
      const { storage, dataDir } = openWithDir();
      await seed(storage);
      await storage.commit([
        { kind: 'session-inserted', session: other },
        { kind: 'participant-inserted', participant: { id: 'p3', sessionId: 's2', nickname: null, group: null, status: 'admitted', joinedAt: 6 }, tokenHash: 'hash-3' },
        vote('p1', 'o', 11),
      ]);
      await storage.commit([{ kind: 'session-deleted', sessionId: 's1' }]);
      const sql = openSql(dataDir);
      const count = (table: string, where: string): number => (sql.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n;
      expect([count('sessions', "id = 's1'"), count('participants', "session_id = 's1'"), count('rounds', "session_id = 's1'"), count('vote_events', '1')]).toEqual([0, 0, 0, 0]);
      expect([count('sessions', "id = 's2'"), count('participants', "session_id = 's2'")]).toEqual([1, 1]);
      sql.close();
    });

    it('keeps admin logins until they expire', async () => {
      const storage = open();
      await storage.commit([
        { kind: 'admin-login-inserted', login: { tokenHash: 'h1', csrfToken: 'c1', expiresAt: 100 } },
        { kind: 'admin-login-inserted', login: { tokenHash: 'h2', csrfToken: 'c2', expiresAt: 200 } },
      ]);
      await storage.commit([{ kind: 'expired-admin-logins-deleted', now: 100 }]);
      expect(await storage.adminLogins.find('h1')).toBeUndefined();
      expect(await storage.adminLogins.find('h2')).toEqual({ tokenHash: 'h2', csrfToken: 'c2', expiresAt: 200 });
    });
  });


  describe('commit (group commit)', () => {
    it('applies commits in the order they were made, within a turn and across turns', async () => {
      const { storage, dataDir } = openWithDir();
      await seed(storage);
      const commits = [storage.commit([vote('p1', 'o', 1)]), storage.commit([vote('p2', 'o', 2), vote('p1', 'x', 3)])];
      await nextTurn();
      commits.push(storage.commit([vote('p2', 'x', 4)]), storage.commit([vote('p1', 'o', 5)]));
      await nextTurn();
      commits.push(storage.commit([vote('p2', 'o', 6)]));
      await Promise.all(commits);
      expect(voteLog(dataDir)).toEqual(['p1:o', 'p2:o', 'p1:x', 'p2:x', 'p1:o', 'p2:o']);
    });

    it('defers commits queued in the same turn and resolves them once they are committed', async () => {
      const { storage, dataDir } = openWithDir();
      await seed(storage);
      const writes = [1, 2].map((n) => storage.commit([vote(`p${n}`, 'o', n)]));
      expect(countVoters(dataDir, 'r1')).toBe(0);
      await Promise.all(writes);
      expect(storedVotes(dataDir, 'r1')).toEqual([
        { participantId: 'p1', choice: 'o' },
        { participantId: 'p2', choice: 'o' },
      ]);
    });

    it('rolls back the whole batch and rejects every commit in it when one change fails', async () => {
      const { storage, dataDir } = openWithDir();
      await seed(storage);
      const good = storage.commit([vote('p1', 'o', 1)]);
      const bad = storage.commit([vote('p2', 'o', 2), vote('ghost', 'o', 3)]);
      const empty = storage.commit([]);
      await expect(good).rejects.toThrow(/FOREIGN KEY/);
      await expect(bad).rejects.toThrow(/FOREIGN KEY/);
      await expect(empty).rejects.toThrow(/FOREIGN KEY/);
      expect(countVoters(dataDir, 'r1')).toBe(0);
      await storage.commit([vote('p2', 'x', 4)]);
      expect(storedVotes(dataDir, 'r1')).toEqual([{ participantId: 'p2', choice: 'x' }]);
    });

    it('resolves an empty commit only once every commit made before it is durable', async () => {
      const { storage, dataDir } = openWithDir();
      await seed(storage);
      const committed: string[] = [];
      void storage.commit([vote('p1', 'o', 1)]).then(() => committed.push('p1'));
      await nextTurn();
      void storage.commit([vote('p2', 'x', 2)]).then(() => committed.push('p2'));
      await storage.commit([]);
      expect(committed).toEqual(['p1', 'p2']);
      expect(storedVotes(dataDir, 'r1')).toEqual([
        { participantId: 'p1', choice: 'o' },
        { participantId: 'p2', choice: 'x' },
      ]);
    });

    it('lets its own reads see a commit as soon as it has resolved', async () => {
      const storage = open();
      await seed(storage);
      const write = storage.commit([vote('p1', 'x', 1)]);
      expect(await storage.polls.votesOfSession('s1')).toEqual([]);
      await write;
      expect(await storage.polls.votesOfSession('s1')).toEqual([{ roundId: 'r1', participantId: 'p1', choice: 'x', castAt: 1 }]);
    });

    it('commits what is queued when it closes', async () => {
      const { storage, dataDir } = openWithDir();
      await seed(storage);
      const write = storage.commit([vote('p1', 'o', 1)]);
      await storage.close();
      await write;
      expect(storedVotes(dataDir, 'r1')).toEqual([{ participantId: 'p1', choice: 'o' }]);
    });
  });
});
