import { describe, expect, it } from 'vitest';
import { connectPresenter, joinParticipant, requireOk, type TestParticipant } from '../support/clients.ts';
import { useServers } from '../support/fixtures.ts';
import { countVoteEvents, storedVotes } from '../support/sql.ts';
import { createSession, manualClock, type TestServer } from '../support/test-app.ts';

const servers = useServers();
const FIRST_TAP = 'tap-0001-aaaaaaaaaaaa';
const SECOND_TAP = 'tap-0002-bbbbbbbbbbbb';

async function openRound(server: TestServer): Promise<{ code: string; roundId: string; phone: TestParticipant; deck: Awaited<ReturnType<typeof connectPresenter>>['socket'] }> {
  const created = await createSession(server.baseUrl);
  const code = created.session.code;
  const { socket: deck } = await connectPresenter(server.baseUrl, code, created.presenterKey);
  const phone = await joinParticipant(server.baseUrl, code);
  servers.sockets.push(deck, phone.socket);
  const { roundId } = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));
  return { code, roundId, phone, deck };
}

describe('a vote sent again with the same vote id', () => {
  it('is answered like the first and counted once', async () => {
    const server = await servers.start();
    const { roundId, phone, deck } = await openRound(server);
    expect(await phone.socket.emitWithAck('vote:cast', { roundId, choice: 'o', voteId: FIRST_TAP })).toEqual({ ok: true, data: { roundId, choice: 'o' } });
    expect(await phone.socket.emitWithAck('vote:cast', { roundId, choice: 'o', voteId: FIRST_TAP })).toEqual({ ok: true, data: { roundId, choice: 'o' } });
    const closed = requireOk(await deck.emitWithAck('poll:close', { roundId }));
    expect(closed.tally).toMatchObject({ counts: { o: 1, x: 0 }, voted: 1 });
    expect(countVoteEvents(server.dataDir, roundId)).toBe(1);
  });

  it('gets the first answer when it arrives while the first is still being committed', async () => {
    const server = await servers.start();
    const { roundId, phone } = await openRound(server);
    // The same tap resent with another choice would change the vote if it were taken as a new one.
    const [first, resent] = await Promise.all([
      phone.socket.emitWithAck('vote:cast', { roundId, choice: 'o', voteId: FIRST_TAP }),
      phone.socket.emitWithAck('vote:cast', { roundId, choice: 'x', voteId: FIRST_TAP }),
    ]);
    expect([first, resent]).toEqual([
      { ok: true, data: { roundId, choice: 'o' } },
      { ok: true, data: { roundId, choice: 'o' } },
    ]);
    expect((await servers.sockets[0]!.emitWithAck('poll:close', { roundId })).ok).toBe(true);
    expect(storedVotes(server.dataDir, roundId)).toEqual([{ participantId: phone.participantId, choice: 'o' }]);
    expect(countVoteEvents(server.dataDir, roundId)).toBe(1);
  });

  it('changes nothing when it comes after a newer vote, and is answered with the vote recorded now', async () => {
    const server = await servers.start();
    const { roundId, phone, deck } = await openRound(server);
    requireOk(await phone.socket.emitWithAck('vote:cast', { roundId, choice: 'o', voteId: FIRST_TAP }));
    requireOk(await phone.socket.emitWithAck('vote:cast', { roundId, choice: 'x', voteId: SECOND_TAP }));
    expect(await phone.socket.emitWithAck('vote:cast', { roundId, choice: 'o', voteId: FIRST_TAP })).toEqual({ ok: true, data: { roundId, choice: 'x' } });
    const closed = requireOk(await deck.emitWithAck('poll:close', { roundId }));
    expect(closed.tally).toMatchObject({ counts: { o: 0, x: 1 }, voted: 1 });
    expect(countVoteEvents(server.dataDir, roundId)).toBe(2);
  });

  it('is still recognised once the session has been unloaded and read back from storage', async () => {
    const clock = manualClock();
    const server = await servers.start({ clock });
    const { code, roundId, phone } = await openRound(server);
    requireOk(await phone.socket.emitWithAck('vote:cast', { roundId, choice: 'o', voteId: FIRST_TAP }));
    requireOk(await phone.socket.emitWithAck('vote:cast', { roundId, choice: 'x', voteId: SECOND_TAP }));
    const before = await server.app.rooms.find(code);
    for (const socket of servers.sockets.splice(0)) socket.disconnect();
    await expect.poll(() => server.app.io.sockets.sockets.size).toBe(0);
    clock.advance(60 * 60_000);
    expect(await server.app.rooms.unloadIdleRooms()).toBe(1);

    const room = (await server.app.rooms.find(code))!;
    expect(room).not.toBe(before);
    expect(await room.castVote(phone.participantId, roundId, 'o', FIRST_TAP)).toEqual({ ok: true, data: { roundId, choice: 'x' } });
    expect(room.votesIn(roundId).get(phone.participantId)).toBe('x');
    expect(countVoteEvents(server.dataDir, roundId)).toBe(2);
  });

  it('is answered with the recorded vote after the session has ended, while a new vote is refused', async () => {
    const server = await servers.start();
    const { roundId, phone, deck } = await openRound(server);
    requireOk(await phone.socket.emitWithAck('vote:cast', { roundId, choice: 'o', voteId: FIRST_TAP }));
    requireOk(await deck.emitWithAck('session:end', { confirm: 'end' }));
    expect(await phone.socket.emitWithAck('vote:cast', { roundId, choice: 'o', voteId: FIRST_TAP })).toEqual({ ok: true, data: { roundId, choice: 'o' } });
    expect(await phone.socket.emitWithAck('vote:cast', { roundId, choice: 'x', voteId: SECOND_TAP })).toMatchObject({ ok: false, error: { code: 'session_ended' } });
    expect(await phone.socket.emitWithAck('vote:cast', { roundId, choice: 'x' })).toMatchObject({ ok: false, error: { code: 'session_ended' } });
    expect(countVoteEvents(server.dataDir, roundId)).toBe(1);
  });

  it('is refused once the participant has been removed, like any vote of theirs', async () => {
    const server = await servers.start();
    const { code, roundId, phone, deck } = await openRound(server);
    requireOk(await phone.socket.emitWithAck('vote:cast', { roundId, choice: 'o', voteId: FIRST_TAP }));
    requireOk(await deck.emitWithAck('participant:remove', { participantIds: [phone.participantId] }));
    const room = (await server.app.rooms.find(code))!;
    expect(await room.castVote(phone.participantId, roundId, 'o', FIRST_TAP)).toMatchObject({ ok: false, error: { code: 'participant_removed' } });
  });

  it('is refused when the vote id is not 16 to 32 url-safe characters', async () => {
    const server = await servers.start();
    const { roundId, phone } = await openRound(server);
    for (const voteId of ['short', 'x'.repeat(33), 'has spaces in it!!', 42]) {
      expect(await phone.socket.emitWithAck('vote:cast', { roundId, choice: 'o', voteId } as never)).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    }
    expect(countVoteEvents(server.dataDir, roundId)).toBe(0);
  });

  it('is only the same vote for the same participant: another phone with the same id votes too', async () => {
    const server = await servers.start();
    const { code, roundId, phone, deck } = await openRound(server);
    const other = await joinParticipant(server.baseUrl, code);
    servers.sockets.push(other.socket);
    requireOk(await phone.socket.emitWithAck('vote:cast', { roundId, choice: 'o', voteId: FIRST_TAP }));
    requireOk(await other.socket.emitWithAck('vote:cast', { roundId, choice: 'x', voteId: FIRST_TAP }));
    const closed = requireOk(await deck.emitWithAck('poll:close', { roundId }));
    expect(closed.tally).toMatchObject({ counts: { o: 1, x: 1 }, voted: 2 });
    expect(countVoteEvents(server.dataDir, roundId)).toBe(2);
  });
});
