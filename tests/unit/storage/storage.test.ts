import { afterEach, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../../../server/storage/storage.ts';
import type { StoredSession } from '../../../server/storage/session.repository.ts';
import { openRound } from '../../../server/domain/poll.ts';
import { makeDataDir } from '../../support/test-app.ts';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrations } from '../../../server/storage/migrations.ts';

let storages: Storage[] = [];
afterEach(() => {
  for (const storage of storages) storage.close();
  storages = [];
});

function open(dataDir = makeDataDir()): Storage {
  const storage = openStorage(dataDir);
  storages.push(storage);
  return storage;
}

const session: StoredSession = {
  id: 's1',
  code: 'ACDEFG',
  title: '研修',
  courseId: 'sample',
  variantId: 'short',
  state: 'lobby',
  currentSlideId: null,
  createdAt: 1,
  presenterKeyHash: 'a'.repeat(64),
  organizerKeyHash: 'b'.repeat(64),
};

function seed(storage: Storage): void {
  storage.sessions.insert(session);
  storage.participants.insert({ id: 'p1', sessionId: 's1', nickname: null, joinedAt: 2 }, 'hash-1');
  storage.participants.insert({ id: 'p2', sessionId: 's1', nickname: 'B', joinedAt: 3 }, 'hash-2');
  storage.polls.insertRound(openRound({ id: 'r1', sessionId: 's1', questionId: 'q', optionKeys: ['o', 'x'], earlierRounds: [] }, 10));
}

describe('SQLite storage', () => {
  it('runs in WAL mode with full sync and is migrated once', () => {
    const dataDir = makeDataDir();
    const first = open(dataDir);
    expect(first.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(first.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(first.db.pragma('user_version', { simple: true })).toBe(2);
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
    expect(storage.polls.votesOf('r1')).toEqual([{ roundId: 'r1', participantId: 'p1', choice: 'x', castAt: 5 }]);
  });

  it('keeps one vote per participant and round, counting changes', () => {
    const storage = open();
    seed(storage);
    storage.polls.saveVote({ roundId: 'r1', participantId: 'p1', choice: 'o', castAt: 11 });
    storage.polls.saveVote({ roundId: 'r1', participantId: 'p1', choice: 'x', castAt: 12 });
    storage.polls.saveVote({ roundId: 'r1', participantId: 'p2', choice: 'o', castAt: 13 });
    expect(storage.polls.votesOf('r1').sort((a, b) => a.castAt - b.castAt)).toEqual([
      { roundId: 'r1', participantId: 'p1', choice: 'x', castAt: 12 },
      { roundId: 'r1', participantId: 'p2', choice: 'o', castAt: 13 },
    ]);
    expect(storage.db.prepare("SELECT changes FROM votes WHERE participant_id = 'p1'").get()).toEqual({ changes: 1 });
  });

  it('finds a participant by token hash only within its own session', () => {
    const storage = open();
    seed(storage);
    expect(storage.participants.findByToken('s1', 'hash-2')).toMatchObject({ id: 'p2', nickname: 'B' });
    expect(storage.participants.findByToken('other', 'hash-2')).toBeUndefined();
    expect(storage.participants.countInSession('s1')).toBe(2);
  });
});

describe('WriteBatcher', () => {
  it('defers writes queued in the same turn and resolves them once they are committed', async () => {
    const storage = open();
    seed(storage);
    const writes = [1, 2].map((n) =>
      storage.batcher.run(() => {
        storage.polls.saveVote({ roundId: 'r1', participantId: `p${n}`, choice: 'o', castAt: n });
      }),
    );
    expect(storage.polls.countVotes('r1')).toBe(0);
    await Promise.all(writes);
    expect(storage.polls.countVotes('r1')).toBe(2);
  });

  it('rolls back the whole batch and rejects every write in it when one fails', async () => {
    const storage = open();
    seed(storage);
    const good = storage.batcher.run(() => storage.polls.saveVote({ roundId: 'r1', participantId: 'p1', choice: 'o', castAt: 1 }));
    const bad = storage.batcher.run(() => storage.polls.saveVote({ roundId: 'r1', participantId: 'ghost', choice: 'o', castAt: 2 }));
    await expect(good).rejects.toThrow();
    await expect(bad).rejects.toThrow(/FOREIGN KEY/);
    expect(storage.polls.countVotes('r1')).toBe(0);
  });
});
