import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, connectParticipant, connectPresenter, joinParticipant, requireOk } from '../support/clients.ts';
import { freePort, kill, useServerProcesses } from '../support/server-process.ts';
import { storageEngines, type EngineDatabase } from '../support/storage-engines.ts';
import { createSession } from '../support/test-app.ts';

const processes = useServerProcesses();
const sockets = processes.sockets;
let databases: EngineDatabase[] = [];
afterEach(async () => {
  for (const database of databases.splice(0)) await database.drop();
});

/** The id of phone i's one tap. */
function tapOf(i: number): string {
  return `killed-server-tap-${String(i).padStart(3, '0')}`;
}

describe.each(storageEngines)('a server on $name killed with SIGKILL mid-question', (engine) => {
  it('comes back with the open round and every vote it had acknowledged, and counts a resent vote once', async () => {
    const database = await engine.createDatabase();
    databases.push(database);
    const port = await freePort();
    const first = await processes.spawn(database.serverEnv.DATA_DIR!, port, database.serverEnv);
    const session = await createSession(first.baseUrl);
    const code = session.session.code;
    const { socket: deck } = await connectPresenter(first.baseUrl, code, session.presenterKey);
    const phones = await Promise.all(Array.from({ length: 30 }, () => joinParticipant(first.baseUrl, code)));
    sockets.push(deck, ...phones.map((phone) => phone.socket));
    const opened = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-second' }));
    const { roundId } = opened;
    const acks = await Promise.all(phones.map((phone, i) => phone.socket.emitWithAck('vote:cast', { roundId, choice: i % 2 ? 'o' : 'x', voteId: tapOf(i) })));
    expect(acks.filter((ack) => ack.ok)).toHaveLength(30);

    await kill(first, 'SIGKILL');
    closeAll(sockets.splice(0));

    const second = await processes.spawn(database.serverEnv.DATA_DIR!, port, database.serverEnv);
    const presenter = await connectPresenter(second.baseUrl, code, session.presenterKey);
    const phone = await connectParticipant(second.baseUrl, code, phones[1]!.token);
    sockets.push(presenter.socket, phone.socket);
    expect(presenter.snapshot.round).toMatchObject({ roundId, status: 'open', tally: { counts: { o: 15, x: 15 }, voted: 30, participants: 30 } });
    expect(phone.snapshot.myChoice).toBe('o');

    // The phone never saw its answer, say, and sends the same tap again: it is the same vote.
    expect(await phone.socket.emitWithAck('vote:cast', { roundId, choice: 'o', voteId: tapOf(1) })).toEqual({ ok: true, data: { roundId, choice: 'o' } });
    const closed = requireOk(await presenter.socket.emitWithAck('poll:close', { roundId }));
    expect(closed.tally).toMatchObject({ counts: { o: 15, x: 15 }, voted: 30 });
    expect(await database.query<{ n: number }>(`SELECT COUNT(*) AS n FROM vote_events WHERE round_id = '${roundId}'`)).toEqual([{ n: 30 }]);
  });
});
