import { describe, expect, it } from 'vitest';
import { connectParticipant, connectPresenter, joinParticipant, nextEvent, requireOk, type ClientSocket, type TestParticipant } from '../support/clients.ts';
import { useServerWithSession } from '../support/fixtures.ts';
import { countVoters } from '../support/sql.ts';

const ctx = useServerWithSession();

async function presenter(): Promise<ClientSocket> {
  const { socket } = await connectPresenter(ctx.server.baseUrl, ctx.session.session.code, ctx.session.presenterKey);
  ctx.sockets.push(socket);
  return socket;
}

async function phone(): Promise<TestParticipant> {
  const joined = await joinParticipant(ctx.server.baseUrl, ctx.session.session.code);
  ctx.sockets.push(joined.socket);
  return joined;
}

describe('the deck position, held by the server', () => {
  it('moves every presenter window, and a window that opens later starts where the session is', async () => {
    const first = await presenter();
    const second = await presenter();
    const followed = nextEvent(second, 'deck:changed', (position) => position.slideId === 'ch1-2');
    expect(await first.emitWithAck('deck:go-to', { slideId: 'ch1-2' })).toMatchObject({ ok: true, data: { slideId: 'ch1-2', chapterId: 'ch1' } });
    expect(await followed).toEqual({ slideId: 'ch1-2', chapterId: 'ch1', chapterTitle: 'クレームの基本' });

    const { snapshot } = await connectPresenter(ctx.server.baseUrl, ctx.session.session.code, ctx.session.presenterKey);
    expect(snapshot.deck.slideId).toBe('ch1-2');
  });

  it('asks a question on every phone when the deck reaches it, and sends them back to waiting when it leaves', async () => {
    const deck = await presenter();
    const phones = [await phone(), await phone()];
    const asked = phones.map((p) => nextEvent(p.socket, 'round:changed', (round) => round?.status === 'open'));
    requireOk(await deck.emitWithAck('deck:go-to', { slideId: 'ch1-3' }));
    const [round] = await Promise.all(asked);
    expect(round).toMatchObject({ questionId: 'q-basic', number: 1, reveal: null });

    const waiting = phones.map((p) => nextEvent(p.socket, 'round:changed', (next) => next === null));
    requireOk(await deck.emitWithAck('deck:go-to', { slideId: 'ch1-2' }));
    await Promise.all(waiting);
    expect(await phones[0]!.socket.emitWithAck('vote:cast', { roundId: round!.roundId, choice: 'o' })).toMatchObject({
      ok: false,
      error: { code: 'round_not_open' },
    });
  });

  it('shows each phone its own vote when the deck returns to a revealed question, and opens nothing', async () => {
    const deck = await presenter();
    const [a, b] = [await phone(), await phone()];
    requireOk(await deck.emitWithAck('deck:go-to', { slideId: 'ch1-3' }));
    const roundId = (await ctx.server.app.rooms.find(ctx.session.session.code))!.currentRound()!.id;
    requireOk(await a.socket.emitWithAck('vote:cast', { roundId, choice: 'o' }));
    requireOk(await b.socket.emitWithAck('vote:cast', { roundId, choice: 'x' }));
    requireOk(await deck.emitWithAck('poll:reveal', { roundId }));
    requireOk(await deck.emitWithAck('deck:go-to', { slideId: 'ch1-2' }));

    const syncedA = nextEvent(a.socket, 'participant:synced');
    const syncedB = nextEvent(b.socket, 'participant:synced');
    const back = requireOk(await deck.emitWithAck('deck:go-to', { slideId: 'ch1-3' }));
    expect(back.slideId).toBe('ch1-3');
    expect(await syncedA).toMatchObject({ myChoice: 'o', round: { roundId, status: 'revealed', reveal: { answer: 'x' } } });
    expect(await syncedB).toMatchObject({ myChoice: 'x', round: { roundId, status: 'revealed' } });
    expect((await ctx.server.app.rooms.find(ctx.session.session.code))!.rounds).toHaveLength(1);
  });
});

describe('a phone that connected again', () => {
  it('has a vote sent over its previous connection refused, and its new snapshot says what was recorded', async () => {
    const deck = await presenter();
    const old = await phone();
    const { roundId } = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));
    const again = await connectParticipant(ctx.server.baseUrl, ctx.session.session.code, old.token);
    ctx.sockets.push(again.socket);
    expect(await old.socket.emitWithAck('vote:cast', { roundId, choice: 'x' })).toMatchObject({ ok: false, error: { code: 'stale_connection' } });
    expect(countVoters(ctx.server.dataDir, roundId)).toBe(0);
    expect(again.snapshot.myChoice).toBeNull();
    expect(await again.socket.emitWithAck('vote:cast', { roundId, choice: 'o' })).toEqual({ ok: true, data: { roundId, choice: 'o' } });
  });
});
