import { describe, expect, it } from 'vitest';
import type { CreatedSession, Joined } from '../../shared/contract.ts';
import { closeAll, connect, connectError, connectParticipant, connectPresenter, nextEvent, requireOk, type ClientSocket } from '../support/clients.ts';
import { openSql, storedVotes } from '../support/sql.ts';
import { createSession, type TestServer } from '../support/test-app.ts';
import { useServers } from '../support/fixtures.ts';

const servers = useServers();
const sockets = servers.sockets;
let server: TestServer;

async function join(session: CreatedSession): Promise<Joined> {
  const response = await fetch(`${server.baseUrl}/api/sessions/${session.session.code}/participants`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  });
  return ((await response.json()) as { data: Joined }).data;
}

describe('one participant, one voice', () => {
  it('keeps 300 scripted joins from one client to the expected headcount plus its margin in any tally', async () => {
    server = await servers.start();
    const session = await createSession(server.baseUrl, { course: 'sample', settings: { expectedParticipants: 30 } });
    const { socket: deck } = await connectPresenter(server.baseUrl, session.session.code, session.presenterKey);
    sockets.push(deck);
    const { roundId } = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));
    const joined = await Promise.all(Array.from({ length: 300 }, () => join(session)));
    const acks = await Promise.all(
      joined.map(async ({ token }) => {
        const { socket } = await connectParticipant(server.baseUrl, session.session.code, token);
        sockets.push(socket);
        return socket.emitWithAck('vote:cast', { roundId, choice: 'x' });
      }),
    );
    expect(acks.filter((ack) => ack.ok)).toHaveLength(35);
    expect(acks.filter((ack) => !ack.ok).every((ack) => !ack.ok && ack.error.code === 'participant_not_admitted')).toBe(true);
    const presenter = await connectPresenter(server.baseUrl, session.session.code, session.presenterKey);
    sockets.push(presenter.socket);
    expect(presenter.snapshot).toMatchObject({ participants: 35, pendingParticipants: 265, expectedParticipants: 30 });
    expect(presenter.snapshot.joinsLastMinute).toBe(300);
    expect(presenter.snapshot.round?.tally).toMatchObject({ voted: 35, counts: { x: 35 } });
  });

  it('lets the presenter approve waiting phones, and remove participants with their votes, kept in the audit log', async () => {
    server = await servers.start();
    const session = await createSession(server.baseUrl, { course: 'sample', settings: { expectedParticipants: 1 } });
    const { socket: deck } = await connectPresenter(server.baseUrl, session.session.code, session.presenterKey);
    sockets.push(deck);
    const joined = await Promise.all(Array.from({ length: 8 }, () => join(session)));
    const phones = await Promise.all(joined.map(({ token }) => connectParticipant(server.baseUrl, session.session.code, token)));
    sockets.push(...phones.map((phone) => phone.socket));
    expect(phones.map((phone) => phone.snapshot.participant.status)).toEqual(['admitted', 'admitted', 'admitted', 'admitted', 'admitted', 'admitted', 'pending', 'pending']);

    const admitted = nextEvent(phones[6]!.socket, 'participant:synced');
    expect(requireOk(await deck.emitWithAck('participant:approve', { participantIds: [joined[6]!.participantId] }))).toEqual({ changed: 1, votesDiscarded: 0 });
    expect((await admitted).participant.status).toBe('admitted');
    expect(requireOk(await deck.emitWithAck('participant:approve', { participantIds: 'all' }))).toEqual({ changed: 1, votesDiscarded: 0 });

    const { roundId } = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));
    for (const phone of phones) requireOk(await phone.socket.emitWithAck('vote:cast', { roundId, choice: 'x' }));
    const listed = requireOk(await deck.emitWithAck('participant:list', {}));
    expect(listed).toHaveLength(8);
    expect(listed.every((entry) => entry.votes === 1 && entry.status === 'admitted')).toBe(true);

    const removedIds = joined.slice(2, 7).map((entry) => entry.participantId);
    const cut = nextEvent(phones[2]!.socket, 'disconnect' as never);
    const tally = nextEvent(deck, 'presenter:synced', (snapshot) => snapshot.participants === 3);
    expect(requireOk(await deck.emitWithAck('participant:remove', { participantIds: removedIds }))).toEqual({ changed: 5, votesDiscarded: 5 });
    await cut;
    expect(await tally).toMatchObject({ participants: 3, pendingParticipants: 0, round: { tally: { voted: 3, counts: { x: 3 } } } });
    expect(storedVotes(server.dataDir, roundId)).toHaveLength(3);
    const again = connect(server.baseUrl, { role: 'participant', code: session.session.code, token: joined[2]!.token });
    sockets.push(again);
    expect((await connectError(again)).data?.code).toBe('participant_removed');

    const sql = openSql(server.dataDir);
    const audit = sql.prepare('SELECT kind, detail FROM audit_events ORDER BY id').all() as Array<{ kind: string; detail: string }>;
    sql.close();
    expect(audit.map((event) => event.kind)).toEqual(['participants-approved', 'participants-approved', 'participants-removed']);
    expect(JSON.parse(audit[2]!.detail)).toMatchObject({ participantIds: removedIds, discardedVotes: expect.arrayContaining([{ roundId, participantId: removedIds[0], choice: 'x' }]) });

    // A restart keeps the removal: the tally is rebuilt without the removed votes.
    closeAll(sockets.splice(0));
    await server.close();
    server = await servers.start({ dataDir: server.dataDir });
    const presenter = await connectPresenter(server.baseUrl, session.session.code, session.presenterKey);
    sockets.push(presenter.socket);
    expect(presenter.snapshot).toMatchObject({ participants: 3, round: { tally: { voted: 3 } } });
  });
});
