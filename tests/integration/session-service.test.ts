import { afterEach, describe, expect, it } from 'vitest';
import type { LiveSession } from '../../server/live/session-service.ts';
import { createSession, startTestServer, type TestServer } from '../support/test-app.ts';

let server: TestServer;
afterEach(async () => {
  await server?.close();
});

async function liveSessionWithParticipant(): Promise<{ live: LiveSession; participantId: string }> {
  server = await startTestServer();
  const created = await createSession(server.baseUrl);
  const live = server.app.service.findByCode(created.session.code);
  if (!live) throw new Error('no live session');
  const joined = await server.app.service.join(live, undefined);
  if (!joined.ok) throw new Error('join refused');
  return { live, participantId: joined.value.participant.id };
}

describe('commands that overlap while a write is being committed', () => {
  it('refuses a vote on the previous round once the next question is being opened', async () => {
    const { live, participantId } = await liveSessionWithParticipant();
    const service = server.app.service;
    const first = await service.openPoll(live, 'q-basic');
    if (!first.ok) throw new Error('open refused');

    const opening = service.openPoll(live, 'q-second');
    const lateVote = service.castVote(live, participantId, first.value.id, 'o');
    expect((await opening).ok).toBe(true);
    expect(await lateVote).toMatchObject({ ok: false });
    expect(server.app.storage.polls.countVotes(first.value.id)).toBe(0);
  });

  it('numbers two questions opened in the same instant one after the other', async () => {
    const { live } = await liveSessionWithParticipant();
    const service = server.app.service;
    const [a, b] = await Promise.all([service.openPoll(live, 'q-basic'), service.openPoll(live, 'q-basic')]);
    expect([a.ok && a.value.number, b.ok && b.value.number]).toEqual([1, 2]);
    const stored = server.app.storage.polls.roundsOf(live.session.id);
    expect(stored.map((round) => [round.number, round.status])).toEqual([
      [1, 'closed'],
      [2, 'open'],
    ]);
    expect(live.rounds.map((round) => round.status)).toEqual(['closed', 'open']);
  });

  it('keeps one shared state after a failed write, reloaded from disk', async () => {
    const { live, participantId } = await liveSessionWithParticipant();
    const service = server.app.service;
    const opened = await service.openPoll(live, 'q-basic');
    if (!opened.ok) throw new Error('open refused');
    expect((await service.castVote(live, participantId, opened.value.id, 'x')).ok).toBe(true);

    server.app.storage.db.exec('CREATE TRIGGER fail_updates BEFORE UPDATE ON rounds BEGIN SELECT RAISE(ABORT, \'disk trouble\'); END');
    const closed = await service.closePoll(live, opened.value.id);
    expect(closed).toMatchObject({ ok: false, error: { code: 'internal_error' } });
    expect(live.rounds.at(-1)?.status).toBe('open');
    expect(service.findByCode(live.session.code)).toBe(live);
    expect(live.votes.get(participantId)).toBe('x');
  });
});
