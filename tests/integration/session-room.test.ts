import { afterEach, describe, expect, it } from 'vitest';
import type { Clock, SessionRoom } from '../../server/live/session-room.ts';
import { resultsOf } from '../../server/live/projections.ts';
import { requireOk } from '../support/clients.ts';
import { countVoters, failUpdatesOf, storedRounds, storedVotes } from '../support/sql.ts';
import { createSession, startTestServer, type TestServer } from '../support/test-app.ts';

let server: TestServer;
afterEach(async () => {
  await server?.close();
});

async function roomWithParticipants(count: number, clock?: Clock): Promise<{ room: SessionRoom; participantIds: string[] }> {
  server = await startTestServer(clock ? { clock } : {});
  const created = await createSession(server.baseUrl);
  const room = (await server.app.rooms.find(created.session.code));
  if (!room) throw new Error('no room');
  const participantIds: string[] = [];
  for (let i = 0; i < count; i += 1) participantIds.push(requireOk(await room.join(undefined)).participantId);
  return { room, participantIds };
}

describe('commands that overlap while a write is being committed', () => {
  it('refuses a vote on the previous round once the next question is being opened', async () => {
    const { room, participantIds } = await roomWithParticipants(1);
    const first = requireOk(await room.askQuestion('q-basic'));
    const opening = room.askQuestion('q-second');
    const lateVote = room.castVote(participantIds[0]!, first.roundId, 'o');
    expect((await opening).ok).toBe(true);
    expect(await lateVote).toMatchObject({ ok: false, error: { code: 'round_not_open' } });
    expect(countVoters(server.dataDir, first.roundId)).toBe(0);
  });

  it('counts a vote committed after the deck moved on in its own round, never in the next round', async () => {
    const { room, participantIds } = await roomWithParticipants(1);
    const first = requireOk(await room.askQuestion('q-basic'));
    // The vote is accepted while round 1 is open; round 2 opens before its commit has resolved.
    const vote = room.castVote(participantIds[0]!, first.roundId, 'x');
    const second = room.askQuestion('q-second');
    expect((await vote).ok).toBe(true);
    const secondRound = requireOk(await second);
    expect(room.votesIn(secondRound.roundId).size).toBe(0);
    expect(room.votesIn(first.roundId).get(participantIds[0]!)).toBe('x');
    expect(resultsOf(room, '').rounds.map((round) => [round.questionId, round.voted])).toEqual([
      ['q-basic', 1],
      ['q-second', 0],
    ]);
  });

  it('settles only after the votes accepted before it are committed, so a new snapshot shows them', async () => {
    const { room, participantIds } = await roomWithParticipants(1);
    const { roundId } = requireOk(await room.askQuestion('q-basic'));
    const vote = room.castVote(participantIds[0]!, roundId, 'o');
    expect(room.votesIn(roundId).size).toBe(0);
    await room.settled();
    expect(room.votesIn(roundId).get(participantIds[0]!)).toBe('o');
    expect((await vote).ok).toBe(true);
  });

  it('numbers two questions opened in the same instant one after the other', async () => {
    const { room } = await roomWithParticipants(0);
    const [a, b] = await Promise.all([room.askQuestion('q-basic'), room.askQuestion('q-basic')]);
    expect([a.ok && a.data.number, b.ok && b.data.number]).toEqual([1, 2]);
    expect(storedRounds(server.dataDir, room.session.code).map((round) => [round.number, round.status])).toEqual([
      [1, 'closed'],
      [2, 'open'],
    ]);
    expect(room.rounds.map((round) => round.status)).toEqual(['closed', 'open']);
  });

  it('reloads itself from storage after a failed write and keeps every committed vote', async () => {
    const { room, participantIds } = await roomWithParticipants(1);
    const opened = requireOk(await room.askQuestion('q-basic'));
    expect((await room.castVote(participantIds[0]!, opened.roundId, 'x')).ok).toBe(true);

    failUpdatesOf(server.dataDir, 'rounds');
    expect(await room.closeRound(opened.roundId)).toMatchObject({ ok: false, error: { code: 'internal_error' } });
    expect(room.currentRound()).toMatchObject({ id: opened.roundId, status: 'open' });
    expect((await server.app.rooms.find(room.session.code))).toBe(room);
    expect(room.votesIn(opened.roundId).get(participantIds[0]!)).toBe('x');
  });
});

describe('time', () => {
  it('comes from the clock the app is given: the session and its rounds are stamped with it', async () => {
    let now = Date.UTC(2026, 10, 28, 1, 0, 0);
    const { room, participantIds } = await roomWithParticipants(1, { now: () => now });
    now += 60_000;
    const { roundId } = requireOk(await room.askQuestion('q-basic'));
    now += 5_000;
    requireOk(await room.castVote(participantIds[0]!, roundId, 'o'));
    const results = resultsOf(room, '');
    // Results speak Japan time: 01:00 UTC is 10:00 in Tokyo.
    expect(results.createdAt).toBe('2026-11-28T10:00:00+09:00');
    expect(results.rounds[0]?.openedAt).toBe('2026-11-28T10:01:00+09:00');
    expect(room.currentRound()).toMatchObject({ openedAt: Date.UTC(2026, 10, 28, 1, 1, 0) });
  });
});

describe('the deck and round rules', () => {
  it('opens a question the first time the deck reaches it and shows it as it stands when the deck returns', async () => {
    const { room, participantIds } = await roomWithParticipants(2);
    requireOk(await room.goTo('ch1-2'));
    expect(room.currentRound()).toBeNull();
    requireOk(await room.goTo('ch1-3'));
    const asked = room.currentRound()!;
    expect(asked).toMatchObject({ questionId: 'q-basic', number: 1, status: 'open' });
    requireOk(await room.castVote(participantIds[0]!, asked.id, 'o'));
    requireOk(await room.revealRound(asked.id));

    requireOk(await room.goTo('ch1-2'));
    requireOk(await room.goTo('ch1-1'));
    requireOk(await room.goTo('ch1-2'));
    requireOk(await room.goTo('ch1-3'));
    expect(room.rounds).toHaveLength(1);
    expect(room.currentRound()).toMatchObject({ id: asked.id, status: 'revealed' });
    expect(storedVotes(server.dataDir, asked.id)).toEqual([{ participantId: participantIds[0], choice: 'o' }]);
  });

  it('closes an open round when the deck leaves it, and leaves an unanswered one out of the results', async () => {
    const { room, participantIds } = await roomWithParticipants(1);
    requireOk(await room.goTo('ch1-3'));
    const answered = room.currentRound()!;
    requireOk(await room.castVote(participantIds[0]!, answered.id, 'x'));
    requireOk(await room.goTo('ch1-4'));
    const skipped = room.currentRound()!;
    requireOk(await room.goTo('ch1-5'));

    expect(room.rounds.map((round) => [round.questionId, round.status, round.closedBy])).toEqual([
      ['q-basic', 'closed', 'moved-on'],
      ['q-second', 'closed', 'moved-on'],
      ['case-choice', 'open', null],
    ]);
    expect(await room.castVote(participantIds[0]!, skipped.id, 'o')).toMatchObject({ ok: false });
    const results = resultsOf(room, '');
    expect(results.rounds.map((round) => round.questionId)).toEqual(['q-basic', 'case-choice']);
    expect(results.skippedRounds).toBe(1);
  });

  it('opens the next round only when the question is asked again', async () => {
    const { room } = await roomWithParticipants(0);
    requireOk(await room.goTo('ch1-3'));
    const first = room.currentRound()!;
    requireOk(await room.closeRound(first.id));
    const revote = requireOk(await room.askQuestion('q-basic'));
    expect(revote).toMatchObject({ number: 2, status: 'open' });
    requireOk(await room.goTo('ch1-2'));
    requireOk(await room.goTo('ch1-3'));
    expect(room.currentRound()?.id).toBe(revote.roundId);
    expect(room.rounds).toHaveLength(2);
  });

  it('refuses a slide that is not in the deck and changes nothing', async () => {
    const { room } = await roomWithParticipants(0);
    expect(await room.goTo('ch9-1')).toMatchObject({ ok: false, error: { code: 'slide_not_found' } });
    expect(room.session.currentSlideId).toBeNull();
  });
});
