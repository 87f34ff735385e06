import { describe, expect, it, vi } from 'vitest';
import { resultsOf } from '../../server/live/projections.ts';
import { useServers } from '../support/fixtures.ts';
import { closeAll, connectParticipant, connectPresenter, joinParticipant, joinSession, requireOk } from '../support/clients.ts';
import { createSession, manualClock, type TestServer } from '../support/test-app.ts';

const servers = useServers();
const MINUTE = 60_000;

/** Resolves once the server has seen every socket go. */
async function allSocketsGone(server: TestServer): Promise<void> {
  await vi.waitFor(() => expect(server.app.io.sockets.sockets.size).toBe(0));
}

describe('unloading sessions nobody uses', () => {
  it('unloads an ended session a minute after its last socket left, and reloads it intact on the next find', async () => {
    const clock = manualClock();
    const server = await servers.start({ clock });
    const created = await createSession(server.baseUrl);
    const code = created.session.code;
    const { socket: deck } = await connectPresenter(server.baseUrl, code, created.presenterKey);
    const phones = await Promise.all(['あ', 'い', 'う'].map((nickname) => joinParticipant(server.baseUrl, code, nickname)));
    servers.sockets.push(deck, ...phones.map((phone) => phone.socket));
    const first = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));
    for (const [i, phone] of phones.entries()) requireOk(await phone.socket.emitWithAck('vote:cast', { roundId: first.roundId, choice: i === 0 ? 'x' : 'o' }));
    requireOk(await deck.emitWithAck('poll:reveal', { roundId: first.roundId }));
    const second = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-second' }));
    requireOk(await phones[1]!.socket.emitWithAck('vote:cast', { roundId: second.roundId, choice: 'x' }));
    const question = requireOk(await phones[2]!.socket.emitWithAck('qa:ask', { text: '録音してよいですか', withNickname: true }));
    requireOk(await phones[0]!.socket.emitWithAck('qa:upvote', { questionId: question.id }));
    requireOk(await deck.emitWithAck('session:end', { confirm: 'end' }));
    const room = (await server.app.rooms.find(code))!;
    const before = resultsOf(room, server.app.urlsOf(code).join);

    closeAll(servers.sockets.splice(0));
    await allSocketsGone(server);
    clock.advance(MINUTE - 1);
    expect(await server.app.rooms.unloadIdleRooms()).toBe(0);
    expect((await server.app.rooms.find(code))).toBe(room);
    clock.advance(MINUTE);
    expect(await server.app.rooms.unloadIdleRooms()).toBe(1);
    expect(server.app.rooms.heldCount).toBe(0);

    const reloaded = (await server.app.rooms.find(code))!;
    expect(reloaded).not.toBe(room);
    expect(resultsOf(reloaded, server.app.urlsOf(code).join)).toEqual(before);
    expect(before.rounds.map((round) => round.voted)).toEqual([3, 1]);
    expect(reloaded.participantCount).toBe(3);
    expect(reloaded.upvotersOf(question.id)).toEqual(new Set([phones[0]!.participantId]));
  });

  it('gives every find made while a room is loading the same room object', async () => {
    const clock = manualClock();
    const server = await servers.start({ clock });
    const code = (await createSession(server.baseUrl)).session.code;
    await server.app.rooms.find(code);
    clock.advance(60 * MINUTE);
    expect(await server.app.rooms.unloadIdleRooms()).toBe(1);

    const finds = await Promise.all([server.app.rooms.find(code), server.app.rooms.find(code), server.app.rooms.find(code)]);
    expect(finds[0]).toBeDefined();
    expect(new Set(finds).size).toBe(1);
    expect(await server.app.rooms.find(code)).toBe(finds[0]);
    expect(server.app.rooms.heldCount).toBe(1);
  });

  it('never unloads a session while a phone is connected, and counts idle time from when the last one left', async () => {
    const clock = manualClock();
    const server = await servers.start({ clock });
    const created = await createSession(server.baseUrl);
    const code = created.session.code;
    const phone = await joinParticipant(server.baseUrl, code);
    servers.sockets.push(phone.socket);
    const room = (await server.app.rooms.find(code))!;

    clock.advance(60 * MINUTE);
    expect(await server.app.rooms.unloadIdleRooms()).toBe(0);
    expect((await server.app.rooms.find(code))).toBe(room);

    clock.advance(60 * MINUTE);
    phone.socket.disconnect();
    await allSocketsGone(server);
    clock.advance(15 * MINUTE - 1);
    expect(await server.app.rooms.unloadIdleRooms()).toBe(0);
    clock.advance(1);
    expect(await server.app.rooms.unloadIdleRooms()).toBe(1);
    expect(server.app.rooms.heldCount).toBe(0);
  });

  it('keeps a room that was found while its writes were committing, so a command sent through it is not lost', async () => {
    const clock = manualClock();
    const server = await servers.start({ clock });
    const created = await createSession(server.baseUrl);
    const code = created.session.code;
    const { socket: deck } = await connectPresenter(server.baseUrl, code, created.presenterKey);
    const { roundId } = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));
    deck.disconnect();
    await allSocketsGone(server);
    clock.advance(15 * MINUTE);

    const unloading = server.app.rooms.unloadIdleRooms();
    // A join request arrives while the unload waits for the room's writes: it finds the room, then joins through it.
    const found = (await server.app.rooms.find(code))!;
    expect(await unloading).toBe(0);
    const presenter = await connectPresenter(server.baseUrl, code, created.presenterKey);
    servers.sockets.push(presenter.socket);
    const joined = requireOk(await found.join('遅れて来た人'));
    const phone = await connectParticipant(server.baseUrl, code, joined.token);
    servers.sockets.push(phone.socket);

    expect(await phone.socket.emitWithAck('vote:cast', { roundId, choice: 'o' })).toMatchObject({ ok: true });
    expect((await server.app.rooms.find(code))).toBe(found);
    expect(found.votesIn(roundId).get(joined.participantId)).toBe('o');
  });

  it('reloads a session unloaded before it ended, and lets its phones carry on', async () => {
    const clock = manualClock();
    const server = await servers.start({ clock });
    const created = await createSession(server.baseUrl);
    const code = created.session.code;
    const { socket: deck } = await connectPresenter(server.baseUrl, code, created.presenterKey);
    const joined = await joinSession(server.baseUrl, code);
    const { roundId } = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));
    deck.disconnect();
    await allSocketsGone(server);
    clock.advance(15 * MINUTE);
    expect(await server.app.rooms.unloadIdleRooms()).toBe(1);

    const phone = await connectParticipant(server.baseUrl, code, joined.token);
    servers.sockets.push(phone.socket);
    expect(phone.snapshot.round).toMatchObject({ roundId, status: 'open' });
    expect(await phone.socket.emitWithAck('vote:cast', { roundId, choice: 'x' })).toMatchObject({ ok: true });
    expect((await server.app.rooms.find(code))!.votesIn(roundId).get(joined.participantId)).toBe('x');
  });
});
