/**
 * The storage contract: the same cases against SQLite and PostgreSQL (PG_TEST_URL, see
 * tests/support/postgres.ts; the PostgreSQL half fails when it cannot connect), then what only one
 * engine has to say about itself.
 */
import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { openRound } from '../../../server/domain/poll.ts';
import { EMPTY_STAGE } from '../../../server/domain/stage.ts';
import { openDatabase } from '../../../server/storage/database.ts';
import { migrations } from '../../../server/storage/migrations.ts';
import { postgresMigrations } from '../../../server/storage/postgres/migrations.ts';
import { openPostgresStorage } from '../../../server/storage/postgres/postgres-storage.ts';
import { openSqliteStorage } from '../../../server/storage/sqlite-storage.ts';
import type { Storage, StorageChange, StoredSession } from '../../../server/storage/storage.ts';
import { SessionSettings } from '../../../shared/protocol.ts';
import { createPostgresTestDatabase, type PostgresTestDatabase } from '../../support/postgres.ts';
import { storageEngines, type EngineDatabase } from '../../support/storage-engines.ts';
import { makeDataDir } from '../../support/test-app.ts';

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
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

function byCastAt<T extends { castAt: number }>(votes: T[]): T[] {
  return [...votes].sort((a, b) => a.castAt - b.castAt);
}

describe.each(storageEngines)('$name storage', (engine) => {
  let database: EngineDatabase;

  async function open(): Promise<Storage> {
    if (!database) {
      database = await engine.createDatabase();
      const created = database;
      cleanups.push(() => created.drop());
    }
    const storage = await database.open();
    cleanups.push(() => storage.close());
    return storage;
  }

  async function openSeeded(): Promise<Storage> {
    const storage = await open();
    await storage.commit(seedChanges);
    return storage;
  }

  afterEach(() => {
    database = undefined as unknown as EngineDatabase;
  });

  /** The round's stored vote events, in the order they were written. */
  async function voteLog(): Promise<string[]> {
    const rows = await database.query<{ entry: string }>("SELECT participant_id || ':' || choice AS entry FROM vote_events WHERE round_id = 'r1' ORDER BY id");
    return rows.map((row) => row.entry);
  }

  /** Each participant's current (latest) vote in the round, as the votes view has it. */
  async function currentVotes(): Promise<Array<{ participantId: string; choice: string; changes: number }>> {
    return database.query(`SELECT participant_id AS "participantId", choice, changes FROM votes WHERE round_id = 'r1' ORDER BY participant_id`);
  }

  describe('reads', () => {
    it('reads back what another storage on the same database wrote', async () => {
      await openSeeded();
      const second = await open();
      expect(await second.sessions.findByCode('ACDEFG')).toEqual(session);
      expect(await second.sessions.findById('s1')).toEqual(session);
      expect(await second.sessions.findByCode('ZZZZZZ')).toBeUndefined();
    });

    it('keeps one vote per participant and round, counting changes', async () => {
      const storage = await openSeeded();
      await storage.commit([vote('p1', 'o', 11), vote('p1', 'x', 12), vote('p2', 'o', 13)]);
      expect(byCastAt(await storage.polls.votesOfSession('s1'))).toEqual([
        { roundId: 'r1', participantId: 'p1', choice: 'x', castAt: 12 },
        { roundId: 'r1', participantId: 'p2', choice: 'o', castAt: 13 },
      ]);
      expect(await currentVotes()).toEqual([
        { participantId: 'p1', choice: 'x', changes: 1 },
        { participantId: 'p2', choice: 'o', changes: 0 },
      ]);
    });

    it('leaves the votes of a removed participant out of the votes, and keeps them in the log', async () => {
      const storage = await openSeeded();
      await storage.commit([vote('p1', 'o', 11), vote('p2', 'x', 12)]);
      await storage.commit([{ kind: 'participant-status-set', participantId: 'p2', status: 'removed' }]);
      expect(await storage.polls.votesOfSession('s1')).toEqual([{ roundId: 'r1', participantId: 'p1', choice: 'o', castAt: 11 }]);
      expect(await voteLog()).toEqual(['p1:o', 'p2:x']);
      expect((await storage.sessions.list())[0]).toMatchObject({ votes: 1 });
    });

    it("lists a session's participants in the order they joined, and their token hashes, and no other session's", async () => {
      const storage = await openSeeded();
      expect((await storage.participants.tokenHashesOfSession('s1')).sort((a, b) => a.participantId.localeCompare(b.participantId))).toEqual([
        { participantId: 'p1', tokenHash: 'hash-1' },
        { participantId: 'p2', tokenHash: 'hash-2' },
      ]);
      expect(await storage.participants.tokenHashesOfSession('other')).toEqual([]);
      expect((await storage.participants.allInSession('s1')).map((participant) => [participant.id, participant.group])).toEqual([
        ['p1', '1班'],
        ['p2', null],
      ]);
    });

    it('keeps rounds in the order they were asked, with their closing', async () => {
      const storage = await openSeeded();
      const first = openRound({ id: 'r1', sessionId: 's1', questionId: 'q', optionKeys: ['o', 'x'], earlierRounds: [] }, 10);
      const second = openRound({ id: 'r0', sessionId: 's1', questionId: 'q', optionKeys: ['o', 'x'], earlierRounds: [first] }, 30);
      await storage.commit([
        { kind: 'round-updated', round: { ...first, status: 'closed', closedAt: 20, closedBy: 'presenter' } },
        { kind: 'round-inserted', round: second },
        { kind: 'session-position-saved', session: { ...session, state: 'live', currentSlideId: 'q1', currentRoundId: 'r0' } },
      ]);
      expect(await storage.polls.roundsOf('s1')).toEqual([{ ...first, status: 'closed', closedAt: 20, closedBy: 'presenter' }, second]);
      expect(await storage.sessions.findById('s1')).toMatchObject({ state: 'live', currentSlideId: 'q1', currentRoundId: 'r0' });
    });

    it('keeps test runs and replaces a participant\'s attempt as the answers are saved', async () => {
      const storage = await openSeeded();
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

    it('keeps the stage, the settings, the deck moves, audience questions and upvotes', async () => {
      const storage = await openSeeded();
      const stage = { ...EMPTY_STAGE, joinQr: true, timer: { minutes: 3, startedAt: 100, endsAt: 280_100 } };
      const settings = SessionSettings.parse({ groups: ['1班'], hideResultsWhileOpen: true });
      const question = { id: 'aq1', sessionId: 's1', participantId: 'p1', text: '録音してよいですか', nickname: null, status: 'pending' as const, askedAt: 50 };
      await storage.commit([
        { kind: 'session-stage-saved', session: { ...session, stage } },
        { kind: 'session-settings-saved', session: { ...session, settings } },
        { kind: 'presenter-key-saved', sessionId: 's1', presenterKeyHash: 'c'.repeat(64) },
        { kind: 'deck-move-appended', sessionId: 's1', move: { slideId: 'a', movedAt: 40 } },
        { kind: 'deck-move-appended', sessionId: 's1', move: { slideId: 'b', movedAt: 45 } },
        { kind: 'audience-question-inserted', question },
        { kind: 'audience-question-updated', question: { ...question, status: 'approved' } },
        { kind: 'upvote-saved', upvote: { questionId: 'aq1', participantId: 'p2', upvotedAt: 60 } },
      ]);
      expect(await storage.sessions.findById('s1')).toEqual({ ...session, stage, settings, presenterKeyHash: 'c'.repeat(64) });
      expect(await storage.sessions.movesOf('s1')).toEqual([
        { slideId: 'a', movedAt: 40 },
        { slideId: 'b', movedAt: 45 },
      ]);
      expect(await storage.qa.questionsOf('s1')).toEqual([{ ...question, status: 'approved' }]);
      expect(await storage.qa.upvotesOf('s1')).toEqual([{ questionId: 'aq1', participantId: 'p2', upvotedAt: 60 }]);
    });
  });

  describe('vote ids', () => {
    it('keeps the vote ids it was given, for the room that loads the session after a restart', async () => {
      const storage = await openSeeded();
      await storage.commit([vote('p1', 'o', 11, 'tap-one-aaaaaaaaaaa')]);
      await storage.commit([vote('p1', 'x', 13, 'tap-two-bbbbbbbbbbb')]);
      await storage.close();
      const restarted = await open();
      expect((await restarted.polls.voteIdsOfSession('s1')).map((entry) => entry.voteId).sort()).toEqual(['tap-one-aaaaaaaaaaa', 'tap-two-bbbbbbbbbbb']);
      expect(await restarted.polls.votesOfSession('s1')).toEqual([{ roundId: 'r1', participantId: 'p1', choice: 'x', castAt: 13 }]);
    });

    it('scopes a vote id to its participant and round, and stores votes without one as before', async () => {
      const storage = await openSeeded();
      await storage.commit([vote('p1', 'o', 11, 'same-id-cccccccccccc'), vote('p2', 'x', 12, 'same-id-cccccccccccc'), vote('p1', 'x', 13), vote('p1', 'x', 14)]);
      expect(await voteLog()).toEqual(['p1:o', 'p2:x', 'p1:x', 'p1:x']);
      expect((await storage.polls.voteIdsOfSession('s1')).sort((a, b) => a.participantId.localeCompare(b.participantId))).toEqual([
        { roundId: 'r1', participantId: 'p1', voteId: 'same-id-cccccccccccc' },
        { roundId: 'r1', participantId: 'p2', voteId: 'same-id-cccccccccccc' },
      ]);
    });
  });

  describe('sessions for the organizer', () => {
    const other: StoredSession = { ...session, id: 's2', code: 'CDEFGH', createdAt: 5 };

    it('lists every session newest first with its participants, rounds and votes', async () => {
      const storage = await openSeeded();
      await storage.commit([{ kind: 'session-inserted', session: other }, vote('p1', 'o', 11), vote('p1', 'x', 12)]);
      expect((await storage.sessions.list()).map(({ session: listed, participants, rounds, votes }) => ({ code: listed.code, participants, rounds, votes }))).toEqual([
        { code: 'CDEFGH', participants: 0, rounds: 0, votes: 0 },
        { code: 'ACDEFG', participants: 2, rounds: 1, votes: 1 },
      ]);
    });

    it('deletes a session with every row about it and leaves the others alone', async () => {
      const storage = await openSeeded();
      await storage.commit([
        { kind: 'session-inserted', session: other },
        { kind: 'participant-inserted', participant: { id: 'p3', sessionId: 's2', nickname: null, group: null, status: 'admitted', joinedAt: 6 }, tokenHash: 'hash-3' },
        vote('p1', 'o', 11),
      ]);
      await storage.commit([{ kind: 'session-deleted', sessionId: 's1' }]);
      const count = async (table: string, where: string): Promise<number> =>
        (await database.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`))[0]!.n;
      expect([await count('sessions', "id = 's1'"), await count('participants', "session_id = 's1'"), await count('rounds', "session_id = 's1'"), await count('vote_events', '1 = 1')]).toEqual([0, 0, 0, 0]);
      expect([await count('sessions', "id = 's2'"), await count('participants', "session_id = 's2'")]).toEqual([1, 1]);
    });

    it('keeps admin logins until they expire', async () => {
      const storage = await open();
      await storage.commit([
        { kind: 'admin-login-inserted', login: { tokenHash: 'h1', csrfToken: 'c1', expiresAt: 100 } },
        { kind: 'admin-login-inserted', login: { tokenHash: 'h2', csrfToken: 'c2', expiresAt: 200 } },
        { kind: 'admin-login-inserted', login: { tokenHash: 'h3', csrfToken: 'c3', expiresAt: 300 } },
      ]);
      await storage.commit([{ kind: 'expired-admin-logins-deleted', now: 100 }, { kind: 'admin-login-deleted', tokenHash: 'h3' }]);
      expect(await storage.adminLogins.find('h1')).toBeUndefined();
      expect(await storage.adminLogins.find('h2')).toEqual({ tokenHash: 'h2', csrfToken: 'c2', expiresAt: 200 });
      expect(await storage.adminLogins.find('h3')).toBeUndefined();
    });
  });

  describe('commit (group commit)', () => {
    it('applies commits in the order they were made, within a turn and across turns', async () => {
      const storage = await openSeeded();
      const commits = [storage.commit([vote('p1', 'o', 1)]), storage.commit([vote('p2', 'o', 2), vote('p1', 'x', 3)])];
      await nextTurn();
      commits.push(storage.commit([vote('p2', 'x', 4)]), storage.commit([vote('p1', 'o', 5)]));
      await nextTurn();
      commits.push(storage.commit([vote('p2', 'o', 6)]));
      await Promise.all(commits);
      expect(await voteLog()).toEqual(['p1:o', 'p2:o', 'p1:x', 'p2:x', 'p1:o', 'p2:o']);
    });

    it('rolls back the whole batch and rejects every commit in it when one change fails', async () => {
      const storage = await openSeeded();
      const good = storage.commit([vote('p1', 'o', 1)]);
      const bad = storage.commit([vote('p2', 'o', 2), vote('ghost', 'o', 3)]);
      const empty = storage.commit([]);
      await expect(good).rejects.toThrow(/foreign key/i);
      await expect(bad).rejects.toThrow(/foreign key/i);
      await expect(empty).rejects.toThrow(/foreign key/i);
      expect(await voteLog()).toEqual([]);
      await storage.commit([vote('p2', 'x', 4)]);
      expect(await voteLog()).toEqual(['p2:x']);
    });

    it('resolves an empty commit only once every commit made before it is durable', async () => {
      const storage = await openSeeded();
      const committed: string[] = [];
      void storage.commit([vote('p1', 'o', 1)]).then(() => committed.push('p1'));
      await nextTurn();
      void storage.commit([vote('p2', 'x', 2)]).then(() => committed.push('p2'));
      await storage.commit([]);
      expect(committed).toEqual(['p1', 'p2']);
      expect(await voteLog()).toEqual(['p1:o', 'p2:x']);
    });

    it('lets its own reads see a commit as soon as it has resolved', async () => {
      const storage = await openSeeded();
      await storage.commit([vote('p1', 'x', 1)]);
      expect(await storage.polls.votesOfSession('s1')).toEqual([{ roundId: 'r1', participantId: 'p1', choice: 'x', castAt: 1 }]);
    });

    it('commits what is queued when it closes', async () => {
      const storage = await openSeeded();
      const write = storage.commit([vote('p1', 'o', 1)]);
      await storage.close();
      await write;
      expect(await voteLog()).toEqual(['p1:o']);
    });
  });
});

describe('SQLite storage on its own', () => {
  it('runs in WAL mode with full sync and is migrated to the latest version', () => {
    const db = openDatabase(makeDataDir());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
    db.close();
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
    const storage = openSqliteStorage(dataDir);
    cleanups.push(() => storage.close());
    expect(await storage.polls.votesOfSession('s1')).toEqual([{ roundId: 'r1', participantId: 'p1', choice: 'x', castAt: 5 }]);
    expect(await storage.sessions.findByCode('ACDEFG')).toMatchObject({ currentRoundId: 'r1', settings: { groups: [] } });
    expect(await storage.polls.roundsOf('s1')).toMatchObject([{ id: 'r1', status: 'open', closedBy: null }]);
  });

  it('defers commits queued in the same turn: a read before they resolve does not see them', async () => {
    const storage = openSqliteStorage(makeDataDir());
    cleanups.push(() => storage.close());
    await storage.commit(seedChanges);
    const writes = [1, 2].map((n) => storage.commit([vote(`p${n}`, 'o', n)]));
    expect(await storage.polls.votesOfSession('s1')).toEqual([]);
    await Promise.all(writes);
    expect(await storage.polls.votesOfSession('s1')).toHaveLength(2);
  });
});

describe('PostgreSQL storage on its own', () => {
  async function freshDatabase(): Promise<PostgresTestDatabase> {
    const database = await createPostgresTestDatabase();
    cleanups.push(() => database.drop());
    return database;
  }

  async function openOn(database: PostgresTestDatabase, beforeCommit?: (client: pg.ClientBase, changes: readonly StorageChange[]) => Promise<void>): Promise<Storage> {
    const storage = await openPostgresStorage({ connectionString: database.url, ...(beforeCommit ? { beforeCommit } : {}) });
    cleanups.push(() => storage.close());
    return storage;
  }

  it('migrates a fresh database once when two nodes open it at the same moment, with the same versions as SQLite', async () => {
    const database = await freshDatabase();
    const [first, second] = await Promise.all([openOn(database), openOn(database)]);
    await first.commit(seedChanges);
    expect(await second.sessions.findByCode('ACDEFG')).toEqual(session);
    const applied = await database.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(applied.map((row) => row.version)).toEqual(migrations.map((migration) => migration.version));
    expect(postgresMigrations.map((migration) => migration.version)).toEqual(migrations.map((migration) => migration.version));
  });

  it('commits each batch in one transaction that has synchronous_commit on, and what is queued meanwhile in the next', async () => {
    const database = await freshDatabase();
    // A server configured for speed over durability must not make kotae acknowledge votes early.
    await database.query(`ALTER DATABASE ${database.name} SET synchronous_commit = off`);
    const batches: Array<{ kinds: string[]; synchronousCommit: string }> = [];
    let release = (): void => undefined;
    let isHeld = false;
    const storage = await openOn(database, async (client, changes) => {
      const { rows } = await client.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
      batches.push({ kinds: changes.map((change) => change.kind), synchronousCommit: rows[0]!.synchronous_commit });
      if (isHeld) await new Promise<void>((resolve) => (release = resolve));
    });
    await storage.commit(seedChanges);
    isHeld = true;
    const first = [storage.commit([vote('p1', 'o', 1)]), storage.commit([vote('p2', 'o', 2)])];
    await expect.poll(() => batches.length).toBe(2);
    isHeld = false;
    let isFirstDone = false;
    void Promise.all(first).then(() => (isFirstDone = true));
    const queued = [storage.commit([vote('p1', 'x', 3)]), storage.commit([vote('p2', 'x', 4)]), storage.commit([vote('p1', 'o', 5)])];
    await nextTurn();
    await nextTurn();
    expect(isFirstDone).toBe(false);
    expect(await database.query('SELECT * FROM vote_events')).toEqual([]);
    release();
    await Promise.all([...first, ...queued]);
    expect(batches.map((batch) => batch.kinds.length)).toEqual([seedChanges.length, 2, 3]);
    expect(batches.every((batch) => batch.synchronousCommit === 'on')).toBe(true);
  });

  it('acknowledges nothing of a batch whose check in the transaction fails', async () => {
    const database = await freshDatabase();
    let isRefused = false;
    const storage = await openOn(database, async () => {
      if (isRefused) throw new Error('lease lost');
    });
    await storage.commit(seedChanges);
    isRefused = true;
    await expect(storage.commit([vote('p1', 'o', 1)])).rejects.toThrow('lease lost');
    isRefused = false;
    await storage.commit([vote('p2', 'x', 2)]);
    expect(await storage.polls.votesOfSession('s1')).toEqual([{ roundId: 'r1', participantId: 'p2', choice: 'x', castAt: 2 }]);
  });

  it('carries on after its commit connection is killed: the batch fails, the next one commits on a new connection', async () => {
    const database = await freshDatabase();
    const storage = await openOn(database);
    await storage.commit(seedChanges);
    await database.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database.name}' AND application_name = 'kotae-committer'`);
    const afterKill = await storage.commit([vote('p1', 'o', 1)]).then(
      () => 'committed',
      () => 'failed',
    );
    await storage.commit([vote('p2', 'x', 2)]);
    const expected = afterKill === 'committed' ? ['p1:o', 'p2:x'] : ['p2:x'];
    expect((await database.query<{ entry: string }>("SELECT participant_id || ':' || choice AS entry FROM vote_events ORDER BY id")).map((row) => row.entry)).toEqual(expected);
  });
});
