import { afterEach, describe, expect, it } from 'vitest';
import QRCode from 'qrcode';
import type { PublicSessionInfo, ResultsPayload } from '../../shared/contract.ts';
import { closeAll, connect, connectParticipant, connectPresenter, joinParticipant, nextEvent, requireOk, type ClientSocket } from '../support/clients.ts';
import { childIdsOfSession, rowsAboutSession } from '../support/sql.ts';
import { adminOf, createSession, startTestServer, type TestServer } from '../support/test-app.ts';

let server: TestServer;
const sockets: ClientSocket[] = [];
afterEach(async () => {
  closeAll(sockets);
  sockets.length = 0;
  await server?.close();
});

async function adminRequest(method: 'POST' | 'DELETE', path: string): Promise<Response> {
  const admin = await adminOf(server.baseUrl);
  return fetch(`${server.baseUrl}${path}`, { method, headers: admin.headers });
}

async function results(code: string): Promise<ResultsPayload> {
  const admin = await adminOf(server.baseUrl);
  const response = await fetch(`${server.baseUrl}/api/sessions/${code}/results`, { headers: { Cookie: admin.cookie } });
  return ((await response.json()) as { data: ResultsPayload }).data;
}

function postJoin(code: string, body: unknown = {}): Promise<Response> {
  return fetch(`${server.baseUrl}/api/sessions/${code}/participants`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

describe('ending a session', () => {
  it('closes the open round, tells every phone and presenter, refuses joins, moves and votes, and keeps the results', async () => {
    server = await startTestServer();
    const created = await createSession(server.baseUrl);
    const code = created.session.code;
    const { socket: deck } = await connectPresenter(server.baseUrl, code, created.presenterKey);
    const phones = await Promise.all([1, 2].map(() => joinParticipant(server.baseUrl, code)));
    sockets.push(deck, ...phones.map((phone) => phone.socket));
    const round = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));
    requireOk(await phones[0]!.socket.emitWithAck('vote:cast', { roundId: round.roundId, choice: 'x' }));

    const told = phones.map((phone) => nextEvent(phone.socket, 'session:ended'));
    const ended = await adminRequest('POST', `/api/admin/sessions/${code}/end`);
    expect(ended.status).toBe(200);
    expect(((await ended.json()) as { data: { state: string } }).data.state).toBe('ended');
    for (const summary of await Promise.all(told)) expect(summary).toMatchObject({ code, state: 'ended' });

    const join = await postJoin(code);
    expect([join.status, ((await join.json()) as { error: { code: string } }).error.code]).toEqual([409, 'session_ended']);
    expect(await phones[1]!.socket.emitWithAck('vote:cast', { roundId: round.roundId, choice: 'o' })).toMatchObject({ ok: false, error: { code: 'session_ended' } });
    expect(await deck.emitWithAck('deck:go-to', { slideId: 'title' })).toMatchObject({ ok: false, error: { code: 'session_ended' } });
    expect(await deck.emitWithAck('poll:open', { questionId: 'q-second' })).toMatchObject({ ok: false, error: { code: 'session_ended' } });
    const again = await adminRequest('POST', `/api/admin/sessions/${code}/end`);
    expect([again.status, ((await again.json()) as { error: { code: string } }).error.code]).toEqual([409, 'session_ended']);

    const kept = await results(code);
    expect(kept.session.state).toBe('ended');
    expect(kept.rounds).toMatchObject([{ questionId: 'q-basic', status: 'closed', voted: 1, correct: 1 }]);
    const info = (await (await fetch(`${server.baseUrl}/api/sessions/${code}`)).json()) as { data: PublicSessionInfo };
    expect(info.data.session.state).toBe('ended');
    // A phone that comes back later is still let in, and its snapshot says the session is over.
    const { socket, snapshot } = await connectParticipant(server.baseUrl, code, phones[1]!.token);
    sockets.push(socket);
    expect(snapshot.session.state).toBe('ended');
  });

  it('closes an open knowledge test and refuses its answers from then on', async () => {
    server = await startTestServer();
    const created = await createSession(server.baseUrl);
    const code = created.session.code;
    const { socket: deck } = await connectPresenter(server.baseUrl, code, created.presenterKey);
    const phone = await joinParticipant(server.baseUrl, code);
    sockets.push(deck, phone.socket);
    const test = requireOk(await deck.emitWithAck('test:open', { kind: 'post' }));
    requireOk(await phone.socket.emitWithAck('test:answer', { runId: test.runId, itemId: 't01', choice: 'o' }));
    expect((await adminRequest('POST', `/api/admin/sessions/${code}/end`)).status).toBe(200);
    expect(await phone.socket.emitWithAck('test:answer', { runId: test.runId, itemId: 't02', choice: 'o' })).toMatchObject({ ok: false, error: { code: 'session_ended' } });
    expect(await deck.emitWithAck('test:open', { kind: 'post' })).toMatchObject({ ok: false, error: { code: 'session_ended' } });
    const kept = await results(code);
    expect(kept.tests).toMatchObject([{ runId: test.runId, status: 'closed' }]);
    expect(kept.testScores).toEqual([{ runId: test.runId, kind: 'post', participant: 1, score: 1, total: 20, submittedAt: null }]);
  });

  it('survives a restart as ended', async () => {
    server = await startTestServer();
    const created = await createSession(server.baseUrl);
    expect((await adminRequest('POST', `/api/admin/sessions/${created.session.code}/end`)).status).toBe(200);
    const dataDir = server.dataDir;
    await server.close();
    server = await startTestServer({ dataDir });
    expect((await server.app.rooms.find(created.session.code))?.session.state).toBe('ended');
  });
});

describe('deleting a session', () => {
  it('removes every row about it, disconnects its sockets and forgets its code, leaving other sessions alone', async () => {
    server = await startTestServer();
    const created = await createSession(server.baseUrl);
    const other = await createSession(server.baseUrl);
    const code = created.session.code;
    const { socket: deck } = await connectPresenter(server.baseUrl, code, created.presenterKey);
    const phone = await joinParticipant(server.baseUrl, code, 'さくら');
    await joinParticipant(server.baseUrl, other.session.code);
    sockets.push(deck, phone.socket);
    const first = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));
    requireOk(await phone.socket.emitWithAck('vote:cast', { roundId: first.roundId, choice: 'o' }));
    const second = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));
    requireOk(await phone.socket.emitWithAck('vote:cast', { roundId: second.roundId, choice: 'x' }));
    const test = requireOk(await deck.emitWithAck('test:open', { kind: 'post' }));
    requireOk(await phone.socket.emitWithAck('test:answer', { runId: test.runId, itemId: 't01', choice: 'o' }));
    // The deck's moves and the audience questions with their upvotes are about the session too.
    requireOk(await deck.emitWithAck('deck:go-to', { slideId: 'ch1-2' }));
    const audienceQuestion = requireOk(await phone.socket.emitWithAck('qa:ask', { text: '削除される質問', withNickname: true }));
    const upvoter = await joinParticipant(server.baseUrl, code);
    sockets.push(upvoter.socket);
    requireOk(await upvoter.socket.emitWithAck('qa:upvote', { questionId: audienceQuestion.id }));
    // A removal leaves an audit event: that table is about the session too.
    const removed = await joinParticipant(server.baseUrl, code);
    sockets.push(removed.socket);
    requireOk(await deck.emitWithAck('participant:remove', { participantIds: [removed.participantId] }));
    const sessionId = (await server.app.rooms.find(code))!.session.id;
    const children = childIdsOfSession(server.dataDir, sessionId);
    const before = rowsAboutSession(server.dataDir, sessionId, children);
    expect(Object.keys(before)).toEqual(
      expect.arrayContaining(['sessions', 'participants', 'rounds', 'vote_events', 'test_runs', 'test_attempts', 'audit_events', 'deck_moves', 'qa_questions', 'qa_upvotes']),
    );
    expect(Object.values(before).every((count) => count > 0)).toBe(true);

    const disconnected = new Promise((resolve) => phone.socket.once('disconnect', resolve));
    const deleted = await adminRequest('DELETE', `/api/admin/sessions/${code}`);
    expect(deleted.status).toBe(200);
    await disconnected;

    expect(Object.values(rowsAboutSession(server.dataDir, sessionId, children)).every((count) => count === 0)).toBe(true);
    expect((await fetch(`${server.baseUrl}/api/sessions/${code}`)).status).toBe(404);
    expect((await server.app.rooms.find(code))).toBeUndefined();
    const rejoin = connect(server.baseUrl, { role: 'participant', code, token: phone.token });
    sockets.push(rejoin);
    expect((await new Promise<Error & { data?: { code?: string } }>((resolve) => rejoin.once('connect_error', resolve))).data?.code).toBe('session_not_found');
    expect((await results(other.session.code)).participants).toBe(1);
  });

  it('deletes a session whose retention period has passed, and keeps one without retention', async () => {
    let now = Date.UTC(2026, 11, 1, 5, 0, 0);
    server = await startTestServer({ clock: { now: () => now } });
    const expiring = await createSession(server.baseUrl, { course: 'sample', settings: { retentionDays: 1 } });
    const kept = await createSession(server.baseUrl);
    await postJoin(expiring.session.code);
    now += 23 * 60 * 60 * 1000;
    expect(await server.app.rooms.deleteExpired()).toBe(0);
    now += 2 * 60 * 60 * 1000;
    expect(await server.app.rooms.deleteExpired()).toBe(1);
    expect((await server.app.rooms.list()).map((listing) => listing.session.code)).toEqual([kept.session.code]);
  });
});

describe('named participation', () => {
  it('refuses a join without a name and shows the names given in the results', async () => {
    server = await startTestServer();
    const created = await createSession(server.baseUrl, { course: 'sample', settings: { participation: 'named' } });
    const anonymous = await postJoin(created.session.code);
    expect(anonymous.status).toBe(400);
    expect((await postJoin(created.session.code, { nickname: '山田' })).status).toBe(201);
    expect((await results(created.session.code)).roster).toMatchObject([{ number: 1, nickname: '山田' }]);
  });
});

describe('the results roster', () => {
  it('numbers admitted participants only: a removed one and their votes leave the results', async () => {
    server = await startTestServer();
    const created = await createSession(server.baseUrl);
    const code = created.session.code;
    const { socket: deck } = await connectPresenter(server.baseUrl, code, created.presenterKey);
    const phones = [await joinParticipant(server.baseUrl, code, 'あ'), await joinParticipant(server.baseUrl, code, 'い'), await joinParticipant(server.baseUrl, code, 'う')];
    sockets.push(deck, ...phones.map((phone) => phone.socket));
    const round = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));
    for (const phone of phones) requireOk(await phone.socket.emitWithAck('vote:cast', { roundId: round.roundId, choice: 'x' }));
    requireOk(await deck.emitWithAck('participant:remove', { participantIds: [phones[1]!.participantId] }));
    const kept = await results(code);
    expect(kept.roster.map((participant) => [participant.number, participant.nickname])).toEqual([
      [1, 'あ'],
      [2, 'う'],
    ]);
    expect(kept.rounds[0]?.votes).toEqual([
      { participant: 1, choice: 'x' },
      { participant: 2, choice: 'x' },
    ]);
  });
});

describe('join posters per group', () => {
  it('gives each group a QR of the join link that preselects it, and the plain QR otherwise', async () => {
    server = await startTestServer();
    const created = await createSession(server.baseUrl, { course: 'sample', settings: { groups: ['1班', '2班'] } });
    const code = created.session.code;
    const urls = server.app.urlsOf(code);
    const qrOf = async (query: string) => (await fetch(`${server.baseUrl}/api/sessions/${code}/qr.svg${query}`)).text();
    const expected = (text: string) => QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    expect(await qrOf('?group=2')).toBe(await expected(`${urls.join}?group=2`));
    expect(await qrOf('')).toBe(await expected(urls.joinQr));
    expect(await qrOf('?group=3')).toBe(await expected(urls.joinQr));
  });
});
