import { afterEach, describe, expect, it } from 'vitest';
import { ORGANIZER_KEY_HEADER } from '../../shared/contract.ts';
import { closeAll, connect, connectError, connectPresenter, joinParticipant, joinSession, nextEvent, requireOk, type ClientSocket } from '../support/clients.ts';
import { createPostgresTestDatabase, type PostgresTestDatabase } from '../support/postgres.ts';
import { adminOf, createSession, manualClock, startTestServer, type TestServer } from '../support/test-app.ts';

let database: PostgresTestDatabase | undefined;
let server: TestServer | undefined;
const sockets: ClientSocket[] = [];
afterEach(async () => {
  closeAll(sockets.splice(0));
  await server?.close();
  await database?.drop();
  server = undefined;
  database = undefined;
});

describe('a server storing in PostgreSQL (DATABASE_URL)', () => {
  it('runs a round end to end, keeps the admin login there, and reloads an unloaded session intact', async () => {
    database = await createPostgresTestDatabase();
    const clock = manualClock();
    server = await startTestServer({ databaseUrl: database.url, clock });
    const created = await createSession(server.baseUrl);
    const code = created.session.code;
    const { socket: deck } = await connectPresenter(server.baseUrl, code, created.presenterKey);
    const phones = await Promise.all(['あ', 'い', 'う'].map((nickname) => joinParticipant(server!.baseUrl, code, nickname)));
    sockets.push(deck, ...phones.map((phone) => phone.socket));
    const { roundId } = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));
    for (const [i, phone] of phones.entries()) {
      requireOk(await phone.socket.emitWithAck('vote:cast', { roundId, choice: i === 0 ? 'x' : 'o', voteId: `postgres-e2e-tap-${i}-xxxx` }));
    }
    requireOk(await deck.emitWithAck('poll:reveal', { roundId }));

    const admin = await adminOf(server.baseUrl);
    expect(await database.query<{ n: number }>('SELECT COUNT(*) AS n FROM admin_logins')).toEqual([{ n: 1 }]);
    const listed = (await (await fetch(`${server.baseUrl}/api/admin/sessions`, { headers: admin.headers })).json()) as { ok: boolean; data: unknown[] };
    expect(listed).toMatchObject({ ok: true, data: [{ session: { code }, participants: 3, rounds: 1, votes: 3 }] });

    closeAll(sockets.splice(0));
    await expect.poll(() => server!.app.io.sockets.sockets.size).toBe(0);
    clock.advance(24 * 60 * 60_000);
    expect(await server.app.rooms.unloadIdleRooms()).toBe(1);
    const results = (await (await fetch(`${server.baseUrl}/api/sessions/${code}/results.json`, { headers: { [ORGANIZER_KEY_HEADER]: created.organizerKey } })).json()) as {
      rounds: Array<{ roundId: string; counts: Record<string, number>; voted: number }>;
    };
    expect(results.rounds).toMatchObject([{ roundId, counts: { o: 2, x: 1 }, voted: 3 }]);
  });

  it('authenticates a reconnecting phone from the loaded room, without reading the database (a new owner loads the token hashes once)', async () => {
    database = await createPostgresTestDatabase();
    server = await startTestServer({ databaseUrl: database.url });
    const created = await createSession(server.baseUrl);
    const joined = await joinSession(server.baseUrl, created.session.code, 'ひかり');
    await database.query('ALTER TABLE participants RENAME TO participants_elsewhere');

    const phone = connect(server.baseUrl, { role: 'participant', code: created.session.code, token: joined.token });
    sockets.push(phone);
    expect((await nextEvent(phone, 'participant:synced')).participant).toMatchObject({ id: joined.participantId, nickname: 'ひかり' });
    const stranger = connect(server.baseUrl, { role: 'participant', code: created.session.code, token: 'x'.repeat(32) });
    sockets.push(stranger);
    expect((await connectError(stranger)).data).toEqual({ code: 'unauthorized' });
  });

  it('refuses a handshake with internal_error, rather than leaving it waiting, when the database cannot answer', async () => {
    database = await createPostgresTestDatabase();
    const clock = manualClock();
    server = await startTestServer({ databaseUrl: database.url, clock });
    const created = await createSession(server.baseUrl);
    const joined = await joinSession(server.baseUrl, created.session.code);
    // A loaded room checks tokens in memory: only loading the session reads the database.
    clock.advance(24 * 60 * 60_000);
    expect(await server.app.rooms.unloadIdleRooms()).toBe(1);
    await database.query('ALTER TABLE participants RENAME TO participants_elsewhere');

    const phone = connect(server.baseUrl, { role: 'participant', code: created.session.code, token: joined.token });
    sockets.push(phone);
    expect((await connectError(phone)).data).toEqual({ code: 'internal_error' });
  });
});
