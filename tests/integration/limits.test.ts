import { describe, expect, it } from 'vitest';
import { connect, connectError, connectPresenter, joinParticipant, requireOk } from '../support/clients.ts';
import { storedVotes } from '../support/sql.ts';
import { adminOf, createSession, type TestServer } from '../support/test-app.ts';
import { useServers } from '../support/fixtures.ts';

const servers = useServers();
const sockets = servers.sockets;
let server: TestServer;

function post(path: string, body: string, contentType = 'application/json'): Promise<Response> {
  return fetch(`${server.baseUrl}${path}`, { method: 'POST', headers: { 'Content-Type': contentType }, body });
}

describe('rate limits', () => {
  it('lets a participant change a vote about four times a second, refusing faster flips with a retry-after', async () => {
    server = await servers.start();
    const session = await createSession(server.baseUrl);
    const { socket: deck } = await connectPresenter(server.baseUrl, session.session.code, session.presenterKey);
    const phone = await joinParticipant(server.baseUrl, session.session.code);
    sockets.push(deck, phone.socket);
    const { roundId } = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));
    const acks = [];
    for (let i = 0; i < 20; i += 1) acks.push(await phone.socket.emitWithAck('vote:cast', { roundId, choice: i % 2 ? 'x' : 'o' }));
    const accepted = acks.filter((ack) => ack.ok);
    expect(accepted.length).toBeGreaterThanOrEqual(4);
    expect(accepted.length).toBeLessThanOrEqual(8);
    const refused = acks.find((ack) => !ack.ok);
    expect(refused).toMatchObject({ ok: false, error: { code: 'rate_limited', retryAfterMs: expect.any(Number) } });
    const last = accepted.at(-1)!;
    expect(storedVotes(server.dataDir, roundId)).toEqual([{ participantId: phone.participantId, choice: last.ok ? last.data.choice : '' }]);
  });

  it('refuses an address that looks up unknown join codes too often, with 429 and Retry-After', async () => {
    server = await servers.start();
    const session = await createSession(server.baseUrl);
    for (let i = 0; i < 30; i += 1) expect((await fetch(`${server.baseUrl}/api/sessions/AAAAAA`)).status).toBe(404);
    const limited = await fetch(`${server.baseUrl}/api/sessions/AAAAAA`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    expect((await fetch(`${server.baseUrl}/api/sessions/${session.session.code}`)).status).toBe(429);
  });

  it('refuses handshakes from an address after 30 wrong keys, even a right one, saying why', async () => {
    server = await servers.start();
    const session = await createSession(server.baseUrl);
    for (let i = 0; i < 30; i += 1) {
      const wrong = connect(server.baseUrl, { role: 'presenter', code: session.session.code, key: 'w'.repeat(32) });
      sockets.push(wrong);
      expect((await connectError(wrong)).data?.code).toBe('unauthorized');
    }
    const right = connect(server.baseUrl, { role: 'presenter', code: session.session.code, key: session.presenterKey });
    sockets.push(right);
    expect((await connectError(right)).data?.code).toBe('rate_limited');
  });

  it('limits joins per address and session creations per address', async () => {
    server = await servers.start({ joinsPerMinutePerAddress: 5 });
    const session = await createSession(server.baseUrl);
    const statuses = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await post(`/api/sessions/${session.session.code}/participants`, '{}')).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    expect((await server.app.rooms.find(session.session.code))!.participantCount).toBe(5);
    // Creating a session needs the admin login; the organizer's creations are limited all the same.
    const admin = await adminOf(server.baseUrl);
    const create = () => fetch(`${server.baseUrl}/api/sessions`, { method: 'POST', headers: admin.headers, body: JSON.stringify({ course: 'sample' }) });
    for (let i = 0; i < 29; i += 1) expect((await create()).status).toBe(201);
    expect((await create()).status).toBe(429);
  });
});

describe('HTTP edges', () => {
  it('answers an oversized body with 413 and a non-JSON write with 415, and changes nothing', async () => {
    server = await servers.start();
    const session = await createSession(server.baseUrl);
    const big = await post(`/api/sessions/${session.session.code}/participants`, JSON.stringify({ nickname: 'x'.repeat(20_000) }));
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ ok: false, error: { code: 'payload_too_large' } });
    const text = await post(`/api/sessions/${session.session.code}/participants`, 'nickname=x', 'application/x-www-form-urlencoded');
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ ok: false, error: { code: 'unsupported_media_type' } });
    expect((await server.app.rooms.find(session.session.code))!.participantCount).toBe(0);
  });

  it('stores nicknames cleaned of invisible and reordering characters', async () => {
    server = await servers.start();
    const session = await createSession(server.baseUrl);
    const joined = await post(`/api/sessions/${session.session.code}/participants`, JSON.stringify({ nickname: '\u202E田中\u200B太郎 ' }));
    const { participantId } = ((await joined.json()) as { data: { participantId: string } }).data;
    expect((await server.app.rooms.find(session.session.code))!.participants.get(participantId)?.nickname).toBe('田中太郎');
  });
});

describe('the venue pre-flight', () => {
  it('ticks the organizer’s live view when another device opens the check URL, and not for this machine', async () => {
    const ownAddresses = new Set<string>();
    server = await servers.start({ isOwnAddress: (address) => ownAddresses.has(address) });
    const session = await createSession(server.baseUrl);
    const live = async (): Promise<{ checkedAt: string | null; checkUrl: string; isLocalOnly: boolean }> => {
      const response = await fetch(`${server.baseUrl}/api/sessions/${session.session.code}/live`, { headers: { 'X-Organizer-Key': session.organizerKey } });
      return ((await response.json()) as { data: { reachability: { checkedAt: string | null; checkUrl: string; isLocalOnly: boolean } } }).data.reachability;
    };
    expect(await live()).toMatchObject({ checkedAt: null, checkUrl: expect.stringMatching(/\/join\/[A-Z0-9]{6}\?check=1$/) });

    ownAddresses.add('127.0.0.1').add('::ffff:127.0.0.1');
    const fromHere = await post(`/api/sessions/${session.session.code}/reachability-check`, '{}');
    expect(await fromHere.json()).toMatchObject({ ok: true, data: { reached: true, counted: false } });
    expect((await live()).checkedAt).toBeNull();

    ownAddresses.clear();
    const fromPhone = await post(`/api/sessions/${session.session.code}/reachability-check`, '{}');
    expect(await fromPhone.json()).toMatchObject({ ok: true, data: { counted: true } });
    expect((await live()).checkedAt).toMatch(/\+09:00$/);
    expect((await server.app.rooms.find(session.session.code))!.participantCount).toBe(0);
  });
});
