import { describe, expect, it } from 'vitest';
import type { CreatedSession, Tally } from '../../shared/contract.ts';
import { connectPresenter, joinParticipant, nextEvent, type ClientSocket, type TestParticipant, requireOk } from '../support/clients.ts';
import { useServerWithSession } from '../support/fixtures.ts';
import { countVoters, storedRounds, storedVotes } from '../support/sql.ts';

const ctx = useServerWithSession();

async function presenter(): Promise<ClientSocket> {
  const { socket } = await connectPresenter(ctx.server.baseUrl, ctx.session.session.code, ctx.session.presenterKey);
  ctx.sockets.push(socket);
  return socket;
}

async function participants(count: number): Promise<TestParticipant[]> {
  const joined = await Promise.all(Array.from({ length: count }, (_, i) => joinParticipant(ctx.server.baseUrl, ctx.session.session.code, `p${i}`)));
  ctx.sockets.push(...joined.map((participant) => participant.socket));
  return joined;
}

async function participant(): Promise<TestParticipant> {
  const [joined] = await participants(1);
  if (!joined) throw new Error('no participant joined');
  return joined;
}

function finalTally(socket: ClientSocket, voted: number): Promise<Tally> {
  return nextEvent(socket, 'tally:changed', (tally) => tally.voted === voted);
}

describe('the live ○× loop', () => {
  it('pushes an opened question to every phone without its answer', async () => {
    const deck = await presenter();
    const phones = await participants(3);
    const received = phones.map((phone) => nextEvent(phone.socket, 'round:changed'));
    const opened = await deck.emitWithAck('poll:open', { questionId: 'q-basic' });
    expect(opened.ok).toBe(true);
    for (const round of await Promise.all(received)) {
      expect(round).toMatchObject({ questionId: 'q-basic', status: 'open', reveal: null, number: 1 });
      expect(JSON.stringify(round)).not.toContain('"answer"');
      expect(JSON.stringify(round)).not.toContain('二次クレームを招きます');
      expect(round?.options.map((option) => `${option.symbol} ${option.text}`)).toEqual(['○ 正しい', '× 誤り']);
    }
  });

  it('gives the presenter the exact final tally when 60 participants vote at once', async () => {
    const deck = await presenter();
    const phones = await participants(60);
    const { roundId } = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));
    const tally = finalTally(deck, 60);
    const acks = await Promise.all(
      phones.map((phone, i) => phone.socket.emitWithAck('vote:cast', { roundId, choice: i % 3 === 0 ? 'o' : 'x' })),
    );
    expect(acks.every((ack) => ack.ok)).toBe(true);
    expect(await tally).toEqual({ roundId, counts: { o: 20, x: 40 }, voted: 60, participants: 60, groups: [] });
    expect(countVoters(ctx.server.dataDir, roundId)).toBe(60);
  });

  it('lets a participant change the vote while the round is open, counting it once', async () => {
    const deck = await presenter();
    const phone = await participant();
    const { roundId } = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));
    const tally = nextEvent(deck, 'tally:changed', (t) => t.roundId === roundId && t.counts.x === 1);
    await phone.socket.emitWithAck('vote:cast', { roundId, choice: 'o' });
    const changed = await phone.socket.emitWithAck('vote:cast', { roundId, choice: 'x' });
    expect(changed).toEqual({ ok: true, data: { roundId, choice: 'x' } });
    expect(await tally).toMatchObject({ counts: { o: 0, x: 1 }, voted: 1 });
    expect(storedVotes(ctx.server.dataDir, roundId)).toEqual([{ participantId: phone.participantId, choice: 'x' }]);
  });

  it('refuses votes after the close and keeps the tally as it was', async () => {
    const deck = await presenter();
    const early = await participant();
    const late = await participant();
    const { roundId } = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));
    await early.socket.emitWithAck('vote:cast', { roundId, choice: 'o' });
    const closed = await deck.emitWithAck('poll:close', { roundId });
    expect(closed).toMatchObject({ ok: true, data: { status: 'closed', tally: { voted: 1 } } });
    const refused = await late.socket.emitWithAck('vote:cast', { roundId, choice: 'x' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'round_not_open' } });
    expect(countVoters(ctx.server.dataDir, roundId)).toBe(1);
  });

  it('sends the answer and its 解説 to phones only at the reveal', async () => {
    const deck = await presenter();
    const phone = await participant();
    const opened = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));
    await phone.socket.emitWithAck('vote:cast', { roundId: opened.roundId, choice: 'x' });
    const closedOnPhone = nextEvent(phone.socket, 'round:changed', (round) => round?.status === 'closed');
    await deck.emitWithAck('poll:close', { roundId: opened.roundId });
    expect((await closedOnPhone)?.reveal).toBeNull();
    const revealedOnPhone = nextEvent(phone.socket, 'round:changed', (round) => round?.status === 'revealed');
    await deck.emitWithAck('poll:reveal', { roundId: opened.roundId });
    expect((await revealedOnPhone)?.reveal).toEqual({
      answer: 'x',
      explanation: '最初からクレーマー扱いすると二次クレームを招きます。まずは誠実に事実を確認します。',
      outcome: null,
      lesson: null,
    });
  });

  it('numbers a re-vote of the same question as round 2 with a fresh tally', async () => {
    const deck = await presenter();
    const phone = await participant();
    const first = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));
    await phone.socket.emitWithAck('vote:cast', { roundId: first.roundId, choice: 'o' });
    const second = await deck.emitWithAck('poll:open', { questionId: 'q-basic' });
    expect(second).toMatchObject({ ok: true, data: { number: 2, status: 'open', tally: { voted: 0 } } });
    const rounds = storedRounds(ctx.server.dataDir, ctx.session.session.code);
    expect(rounds.map((round) => [round.number, round.status])).toEqual([
      [1, 'closed'],
      [2, 'open'],
    ]);
  });

  it('takes a case question with choices and refuses an ○× answer to it', async () => {
    const deck = await presenter();
    const phone = await participant();
    const opened = requireOk(await deck.emitWithAck('poll:open', { questionId: 'case-choice' }));
    expect(opened.options.map((option) => option.key)).toEqual(['a', 'b', 'c']);
    const refused = await phone.socket.emitWithAck('vote:cast', { roundId: opened.roundId, choice: 'o' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_choice' } });
    expect(await phone.socket.emitWithAck('vote:cast', { roundId: opened.roundId, choice: 'b' })).toMatchObject({ ok: true });
  });

  it('tells phones the chapter when the deck moves into another chapter', async () => {
    const deck = await presenter();
    const phone = await participant();
    const moved = nextEvent(phone.socket, 'deck:changed');
    const ack = await deck.emitWithAck('deck:go-to', { slideId: 'ch1-2' });
    expect(ack).toEqual({ ok: true, data: { slideId: 'ch1-2', chapterId: 'ch1', chapterTitle: 'クレームの基本' } });
    expect(await moved).toEqual({ slideId: 'ch1-2', chapterId: 'ch1', chapterTitle: 'クレームの基本' });
  });

  it('shows the presenter how many people joined', async () => {
    const deck = await presenter();
    const counted = nextEvent(deck, 'presenter:synced', (snapshot) => snapshot.participants === 4 && snapshot.connectedParticipants === 4);
    await participants(4);
    expect(await counted).toMatchObject({ participants: 4, connectedParticipants: 4 });
  });
});
