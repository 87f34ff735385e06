import { describe, expect, it } from 'vitest';
import { closeAll, connectParticipant, connectPresenter, joinParticipant, type ClientSocket, requireOk } from '../support/clients.ts';
import { freePort, kill, useServerProcesses } from '../support/server-process.ts';
import { createSession, makeDataDir } from '../support/test-app.ts';

const processes = useServerProcesses();
const sockets = processes.sockets;

describe('a server killed with SIGKILL mid-question', () => {

  it('comes back with the open round and every vote it had acknowledged', async () => {
    const dataDir = makeDataDir();
    const port = await freePort();
    const first = await processes.spawn(dataDir, port);
    const session = await createSession(first.baseUrl);
    const code = session.session.code;
    const { socket: deck } = await connectPresenter(first.baseUrl, code, session.presenterKey);
    const phones = await Promise.all(Array.from({ length: 30 }, () => joinParticipant(first.baseUrl, code)));
    sockets.push(deck, ...phones.map((phone) => phone.socket));
    const opened = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-second' }));
    const { roundId } = opened;
    const acks = await Promise.all(phones.map((phone, i) => phone.socket.emitWithAck('vote:cast', { roundId, choice: i % 2 ? 'o' : 'x' })));
    expect(acks.filter((ack) => ack.ok)).toHaveLength(30);

    await kill(first, 'SIGKILL');
    closeAll(sockets.splice(0));

    const second = await processes.spawn(dataDir, port);
    const presenter = await connectPresenter(second.baseUrl, code, session.presenterKey);
    const phone = await connectParticipant(second.baseUrl, code, phones[1]!.token);
    sockets.push(presenter.socket, phone.socket);
    expect(presenter.snapshot.round).toMatchObject({ roundId, status: 'open', tally: { counts: { o: 15, x: 15 }, voted: 30, participants: 30 } });
    expect(phone.snapshot.myChoice).toBe('o');
  });
});
