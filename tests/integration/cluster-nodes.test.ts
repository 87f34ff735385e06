/**
 * Two nodes in one test process on one PostgreSQL database: which node runs a session (home), the
 * refusals of the other (moved, naming the owner), the fenced commit of a node whose lease was taken
 * over, and a graceful close handing sessions to the other node. Killed and paused processes are in
 * cluster-failover.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { apiPaths, ErrorCode, type Ack, type SessionHome } from '../../shared/contract.ts';
import { closeAll, connect, connectError, connectParticipant, connectPresenter, joinSession, nextEvent, requireOk, type ClientSocket } from '../support/clients.ts';
import { createPostgresTestDatabase, type PostgresTestDatabase } from '../support/postgres.ts';
import { adminOf, createSession, startTestServer, type TestServer } from '../support/test-app.ts';

let database: PostgresTestDatabase | undefined;
const servers: TestServer[] = [];
const sockets: ClientSocket[] = [];
afterEach(async () => {
  closeAll(sockets.splice(0));
  for (const server of servers.splice(0)) await server.close().catch(() => undefined);
  await database?.drop();
  database = undefined;
});

async function startNodes(...nodeIds: string[]): Promise<TestServer[]> {
  database = await createPostgresTestDatabase();
  const started: TestServer[] = [];
  for (const nodeId of nodeIds) started.push(await startTestServer({ databaseUrl: database.url, nodeId }));
  servers.push(...started);
  return started;
}

async function homeOf(server: TestServer, code: string): Promise<Ack<SessionHome>> {
  return (await (await fetch(`${server.baseUrl}/api/sessions/${code}/home`)).json()) as Ack<SessionHome>;
}

function serverNamed(nodes: readonly TestServer[], home: Ack<SessionHome>): TestServer {
  const node = nodes.find((candidate) => home.ok && candidate.app.self.nodeId === home.data.nodeId);
  if (!node) throw new Error(`no node for ${JSON.stringify(home)}`);
  return node;
}

/** The stored vote events of a session, oldest first. */
async function votesInDatabase(sessionCode: string): Promise<Array<{ participant_id: string; choice: string }>> {
  return database!.query(
    `SELECT v.participant_id, v.choice FROM vote_events v JOIN rounds r ON r.id = v.round_id JOIN sessions s ON s.id = r.session_id
     WHERE s.code = '${sessionCode}' ORDER BY v.cast_at, v.participant_id`,
  );
}

/**
 * Two nodes, a session with a projector and one phone on the node that runs it, and an open round.
 * `askedOf`: which node is asked `home` (the answer is the same on either).
 */
async function liveSessionOnTwoNodes(askedOf: 0 | 1, nickname?: string) {
  const nodes = await startNodes('node-a', 'node-b');
  const created = await createSession(nodes[0]!.baseUrl);
  const code = created.session.code;
  const owner = serverNamed(nodes, await homeOf(nodes[askedOf]!, code));
  const other = nodes.find((node) => node !== owner)!;
  const { socket: deck } = await connectPresenter(owner.baseUrl, code, created.presenterKey);
  const joined = await joinSession(owner.baseUrl, code, nickname);
  const { socket: phone } = await connectParticipant(owner.baseUrl, code, joined.token);
  sockets.push(deck, phone);
  const { roundId } = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));
  return { code, owner, other, deck, phone, joined, roundId };
}

describe('nodes of a cluster sharing one PostgreSQL database', () => {
  it('name the same home for a session on every node, spread sessions over the nodes, and the other node refuses it with moved', async () => {
    const nodes = await startNodes('node-a', 'node-b');
    const [a, b] = nodes as [TestServer, TestServer];
    const codes = [];
    for (let i = 0; i < 4; i += 1) codes.push((await createSession(a.baseUrl)).session.code);

    // At once, as when a dead node's sessions are all asked for again.
    const homes = await Promise.all(codes.map((code) => homeOf(b, code)));
    for (const [i, code] of codes.entries()) expect(await homeOf(a, code)).toEqual(homes[i]);
    expect(homes.map((home) => home.ok && home.data.nodeId).sort()).toEqual(['node-a', 'node-a', 'node-b', 'node-b']);
    expect(homes[0]).toEqual({ ok: true, data: { nodeId: expect.any(String), url: expect.stringMatching(/^http:\/\//) } });

    const code = codes[homes.findIndex((home) => home.ok && home.data.nodeId === 'node-b')]!;
    const elsewhere = await fetch(`${a.baseUrl}/api/sessions/${code}/participants`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(elsewhere.status).toBe(409);
    expect(await elsewhere.json()).toEqual({ ok: false, error: { code: ErrorCode.moved, message: expect.any(String), owner: { nodeId: 'node-b', url: b.app.self.url } } });

    // What a phone reads before joining, and the QR images, come from any node: a scanned code names no node.
    const info = (await (await fetch(`${a.baseUrl}/api/sessions/${code}`)).json()) as Ack<{ session: { code: string } }>;
    expect(info).toMatchObject({ ok: true, data: { session: { code } } });
    expect(await (await fetch(`${a.baseUrl}/join/${code}`)).text()).toContain(`"code":"${code}"`);
    expect((await fetch(`${a.baseUrl}/api/sessions/${code}/qr.svg`)).status).toBe(200);

    const joined = await joinSession(b.baseUrl, code, 'みなみ');
    const refused = connect(a.baseUrl, { role: 'participant', code, token: joined.token });
    sockets.push(refused);
    expect((await connectError(refused)).data).toEqual({ code: ErrorCode.moved, owner: { nodeId: 'node-b', url: b.app.self.url } });
    const { socket, snapshot } = await connectParticipant(b.baseUrl, code, joined.token);
    sockets.push(socket);
    expect(snapshot.participant.nickname).toBe('みなみ');
    expect(await (await fetch(`${a.baseUrl}/api/sessions/ZZZZZZ/home`)).json()).toMatchObject({ ok: false, error: { code: ErrorCode.sessionNotFound } });
  });

  it('acknowledge no vote on a node whose lease was taken over, whose clients are sent to the new owner, where every acknowledged vote is', async () => {
    const { code, owner, other, phone, joined, roundId } = await liveSessionOnTwoNodes(0, 'ひがし');
    requireOk(await phone.emitWithAck('vote:cast', { roundId, choice: 'o', voteId: 'fenced-vote-first-1' }));

    // The other node takes the session over, as it would once the owner is dead to the database.
    await database!.query(
      `UPDATE session_leases SET epoch = epoch + 1, node_id = n.node_id, incarnation = n.incarnation
       FROM nodes n WHERE n.node_id = '${other.app.self.nodeId}' AND n.status = 'live'`,
    );
    const moved = nextEvent(phone, 'session:moved');
    // The socket closes before the room's answer: the phone learns from the new owner's snapshot.
    const fenced = await phone.emitWithAck('vote:cast', { roundId, choice: 'x', voteId: 'fenced-vote-second' }).catch(() => 'no answer');
    expect(fenced).not.toMatchObject({ ok: true });
    expect(await moved).toEqual({});
    await expect.poll(() => phone.connected).toBe(false);

    expect(await homeOf(owner, code)).toEqual({ ok: true, data: other.app.self });
    const { socket: followed, snapshot } = await connectParticipant(other.baseUrl, code, joined.token);
    sockets.push(followed);
    expect(snapshot.round).toMatchObject({ roundId, status: 'open' });
    expect(snapshot.myChoice).toBe('o');
    expect(await votesInDatabase(code)).toEqual([{ participant_id: joined.participantId, choice: 'o' }]);
  });

  it('hand their sessions to another node when closed: clients are told to move, and the other node has every vote', async () => {
    const { code, owner, other, deck, phone, joined, roundId } = await liveSessionOnTwoNodes(1);
    requireOk(await phone.emitWithAck('vote:cast', { roundId, choice: 'x', voteId: 'handed-back-vote-1' }));
    const moved = Promise.all([nextEvent(phone, 'session:moved'), nextEvent(deck, 'session:moved')]);

    await owner.close();
    await moved;
    expect(await homeOf(other, code)).toEqual({ ok: true, data: other.app.self });
    const { snapshot } = await connectParticipant(other.baseUrl, code, joined.token).then((connected) => {
      sockets.push(connected.socket);
      return connected;
    });
    expect(snapshot).toMatchObject({ round: { roundId, status: 'open' }, myChoice: 'x' });
    expect(await (await fetch(`${other.baseUrl}/healthz`)).json()).toEqual({ ok: true, data: { nodeId: other.app.self.nodeId, serving: true } });
  });
});

describe('a session deleted on the node that runs it', () => {
  it('leaves no lease behind', async () => {
    const { code, owner } = await liveSessionOnTwoNodes(0);
    expect(await database!.query('SELECT session_id FROM session_leases')).toHaveLength(1);
    const admin = await adminOf(owner.baseUrl);
    const deleted = await fetch(`${owner.baseUrl}${apiPaths.adminSession(code)}`, { method: 'DELETE', headers: admin.headers });
    expect(deleted.status).toBe(200);
    expect(await database!.query('SELECT session_id FROM session_leases')).toEqual([]);
  });
});

describe('a node on its own (SQLite)', () => {
  it('is the home of every session and passes its health check', async () => {
    const server = await startTestServer();
    servers.push(server);
    const { session } = await createSession(server.baseUrl);
    const port = new URL(server.baseUrl).port;
    expect(await homeOf(server, session.code)).toEqual({ ok: true, data: { nodeId: 'test-node', url: expect.stringMatching(new RegExp(`^http://.+:${port}$`)) } });
    const health = await fetch(`${server.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get('cache-control')).toBe('no-store');
  });
});
