import { describe, expect, it } from 'vitest';
import { closeAll, connectParticipant, connectPresenter, joinParticipant, nextEvent, requireOk } from '../support/clients.ts';
import { useServers } from '../support/fixtures.ts';
import { countVoters } from '../support/sql.ts';
import { createSession } from '../support/test-app.ts';

const { start, sockets } = useServers();

describe('a participant who reconnects', () => {
  it('keeps its identity and vote, and changing it does not count twice', async () => {
    const server = await start();
    const session = await createSession(server.baseUrl);
    const { socket: deck } = await connectPresenter(server.baseUrl, session.session.code, session.presenterKey);
    const phone = await joinParticipant(server.baseUrl, session.session.code, 'たなか');
    sockets.push(deck, phone.socket);
    const opened = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));
    await phone.socket.emitWithAck('vote:cast', { roundId: opened.roundId, choice: 'o' });
    phone.socket.disconnect();

    const again = await connectParticipant(server.baseUrl, session.session.code, phone.token);
    sockets.push(again.socket);
    expect(again.snapshot.participant).toEqual({ id: phone.participantId, nickname: 'たなか', status: 'admitted' });
    expect(again.snapshot.myChoice).toBe('o');
    expect(again.snapshot.round).toMatchObject({ roundId: opened.roundId, status: 'open', reveal: null });

    const tally = nextEvent(deck, 'tally:changed', (t) => t.counts.x === 1);
    await again.socket.emitWithAck('vote:cast', { roundId: opened.roundId, choice: 'x' });
    expect(await tally).toMatchObject({ counts: { o: 0, x: 1 }, voted: 1, participants: 1 });
    expect(countVoters(server.dataDir, opened.roundId)).toBe(1);
  });
});

describe('a server closed and started again on the same data folder', () => {
  it('resumes the open round with every acknowledged vote and keeps taking votes', async () => {
    const first = await start();
    const session = await createSession(first.baseUrl);
    const code = session.session.code;
    const { socket: deck } = await connectPresenter(first.baseUrl, code, session.presenterKey);
    const phones = await Promise.all(Array.from({ length: 12 }, () => joinParticipant(first.baseUrl, code)));
    sockets.push(deck, ...phones.map((phone) => phone.socket));
    await deck.emitWithAck('deck:go-to', { slideId: 'ch1-3' });
    const opened = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));
    const { roundId } = opened;
    const acks = await Promise.all(phones.slice(0, 10).map((phone, i) => phone.socket.emitWithAck('vote:cast', { roundId, choice: i < 7 ? 'o' : 'x' })));
    expect(acks.every((ack) => ack.ok)).toBe(true);
    closeAll(sockets.splice(0));
    await first.close();

    const second = await start({ dataDir: first.dataDir });
    const presenter = await connectPresenter(second.baseUrl, code, session.presenterKey);
    sockets.push(presenter.socket);
    expect(presenter.snapshot.round).toMatchObject({ roundId, status: 'open', tally: { counts: { o: 7, x: 3 }, voted: 10, participants: 12 } });
    expect(presenter.snapshot.deck.slideId).toBe('ch1-3');

    const returning = await connectParticipant(second.baseUrl, code, phones[0]!.token);
    const latecomer = await connectParticipant(second.baseUrl, code, phones[11]!.token);
    sockets.push(returning.socket, latecomer.socket);
    expect(returning.snapshot.myChoice).toBe('o');
    expect(latecomer.snapshot.myChoice).toBeNull();
    const tally = nextEvent(presenter.socket, 'tally:changed', (t) => t.voted === 11);
    expect(await latecomer.socket.emitWithAck('vote:cast', { roundId, choice: 'x' })).toMatchObject({ ok: true });
    expect(await tally).toMatchObject({ counts: { o: 7, x: 4 }, voted: 11 });
  });
});
