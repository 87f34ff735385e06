import { describe, expect, it } from 'vitest';
import { closeAll, connectPresenter, joinParticipant, requireOk, type ClientSocket } from '../support/clients.ts';
import { freePort, kill, useServerProcesses } from '../support/server-process.ts';
import { storedRounds } from '../support/sql.ts';
import { openSql } from '../support/sql.ts';
import { createSession, makeDataDir } from '../support/test-app.ts';

const processes = useServerProcesses();
const sockets = processes.sockets;

describe('a server stopped with SIGTERM in the middle of a burst of votes', () => {
  it('acknowledges every vote it stored, and stores every vote it acknowledged', async () => {
    const dataDir = makeDataDir();
    const server = await processes.spawn(dataDir, await freePort());
    const session = await createSession(server.baseUrl, { course: 'sample', settings: { expectedParticipants: 200 } });
    const code = session.session.code;
    const { socket: deck } = await connectPresenter(server.baseUrl, code, session.presenterKey);
    sockets.push(deck);
    const phones = await Promise.all(Array.from({ length: 200 }, () => joinParticipant(server.baseUrl, code)));
    sockets.push(...phones.map((phone) => phone.socket));
    const { roundId } = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));

    const acks: Array<boolean | 'unanswered'> = [];
    // SIGTERM as soon as the first vote is acknowledged: the rest of the burst is still arriving.
    let isTerminated = false;
    const burst = phones.map(async (phone, index) => {
      try {
        const ack = await phone.socket.timeout(5000).emitWithAck('vote:cast', { roundId, choice: index % 2 ? 'o' : 'x' });
        acks[index] = ack.ok;
        if (!isTerminated) {
          isTerminated = true;
          server.child.kill('SIGTERM');
        }
      } catch {
        acks[index] = 'unanswered';
      }
    });
    await Promise.all(burst);
    await new Promise<void>((resolve) => (server.child.exitCode !== null ? resolve() : server.child.once('exit', () => resolve())));
    expect(server.child.exitCode).toBe(0);

    const sql = openSql(dataDir);
    const stored = new Set((sql.prepare('SELECT participant_id FROM votes WHERE round_id = ?').all(roundId) as Array<{ participant_id: string }>).map((row) => row.participant_id));
    sql.close();
    const acked = new Set(phones.filter((_, index) => acks[index] === true).map((phone) => phone.participantId));
    expect([...stored].filter((participantId) => !acked.has(participantId))).toEqual([]);
    expect([...acked].filter((participantId) => !stored.has(participantId))).toEqual([]);
    console.log(`SIGTERM mid-burst: ${acked.size} of ${phones.length} votes stored and acknowledged, ${acks.filter((ack) => ack === false).length} refused while shutting down, ${acks.filter((ack) => ack === 'unanswered').length} unanswered (sent after the sockets closed)`);
    expect(storedRounds(dataDir, code)).toHaveLength(1);
  });
});
