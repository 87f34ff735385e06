import { describe, expect, it } from 'vitest';
import { commands } from '../../shared/protocol.ts';
import { countVoters, openSql } from '../support/sql.ts';
import { connect, connectError, connectPresenter, joinParticipant, type ClientSocket, requireOk } from '../support/clients.ts';
import { useServerWithSession } from '../support/fixtures.ts';
import { adminOf } from '../support/test-app.ts';

const ctx = useServerWithSession();

/** Sends a raw event, bypassing the typed API the way a broken or hostile client would. */
function sendRaw(socket: ClientSocket, event: string, payload: unknown): Promise<unknown> {
  return (socket.timeout(3000) as unknown as { emitWithAck(event: string, payload: unknown): Promise<unknown> }).emitWithAck(event, payload);
}

describe('invalid commands', () => {
  it('answers each malformed vote with invalid_payload and records nothing', async () => {
    const { socket: deck } = await connectPresenter(ctx.server.baseUrl, ctx.session.session.code, ctx.session.presenterKey);
    const phone = await joinParticipant(ctx.server.baseUrl, ctx.session.session.code);
    ctx.sockets.push(deck, phone.socket);
    const opened = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));
    const { roundId } = opened;
    const bad = [null, 'o', 42, [], {}, { roundId }, { choice: 'o' }, { roundId, choice: 'o', extra: 1 }, { roundId: 7, choice: 'o' }, { roundId, choice: 'x'.repeat(100) }];
    for (const payload of bad) {
      expect(await sendRaw(phone.socket, 'vote:cast', payload)).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    }
    expect(await sendRaw(phone.socket, 'vote:cast', { roundId: 'not-the-round', choice: 'o' })).toMatchObject({
      ok: false,
      error: { code: 'round_not_found' },
    });
    expect(countVoters(ctx.server.dataDir, roundId)).toBe(0);
    expect((await ctx.server.app.rooms.find(ctx.session.session.code))!.votesIn(roundId).size).toBe(0);
  });

  it('forbids a participant to run the presenter commands', async () => {
    const { socket: deck } = await connectPresenter(ctx.server.baseUrl, ctx.session.session.code, ctx.session.presenterKey);
    const phone = await joinParticipant(ctx.server.baseUrl, ctx.session.session.code);
    ctx.sockets.push(deck, phone.socket);
    expect(await sendRaw(phone.socket, 'poll:open', { questionId: 'q-basic' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await sendRaw(phone.socket, 'deck:go-to', { slideId: 'ch1-1' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await sendRaw(deck, 'vote:cast', { roundId: 'x', choice: 'o' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await sendRaw(phone.socket, 'admin:drop-all', {})).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect((await ctx.server.app.rooms.find(ctx.session.session.code))!.rounds).toHaveLength(0);
  });

  it('refuses unknown questions and slides without changing the ctx.session', async () => {
    const { socket: deck } = await connectPresenter(ctx.server.baseUrl, ctx.session.session.code, ctx.session.presenterKey);
    ctx.sockets.push(deck);
    expect(await deck.emitWithAck('poll:open', { questionId: 'nope' })).toMatchObject({ ok: false, error: { code: 'question_not_found' } });
    expect(await deck.emitWithAck('deck:go-to', { slideId: 'nope-1' })).toMatchObject({ ok: false, error: { code: 'slide_not_found' } });
    expect(await deck.emitWithAck('poll:close', { roundId: 'nope' })).toMatchObject({ ok: false, error: { code: 'round_not_found' } });
    const room = (await ctx.server.app.rooms.find(ctx.session.session.code))!;
    expect(room.rounds).toHaveLength(0);
    expect(room.session.currentSlideId).toBeNull();
  });

  it('answers a command sent with no payload or with an extra argument, and runs neither', async () => {
    const { socket: deck } = await connectPresenter(ctx.server.baseUrl, ctx.session.session.code, ctx.session.presenterKey);
    const phone = await joinParticipant(ctx.server.baseUrl, ctx.session.session.code);
    ctx.sockets.push(deck, phone.socket);
    const { roundId } = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));
    const withArgs = (socket: ClientSocket, event: string, ...args: unknown[]): Promise<unknown> =>
      (socket.timeout(3000) as unknown as { emitWithAck(event: string, ...args: unknown[]): Promise<unknown> }).emitWithAck(event, ...args);
    for (const name of Object.keys(commands)) {
      expect(await withArgs(deck, name)).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    }
    expect(await withArgs(phone.socket, 'vote:cast', { roundId, choice: 'o' }, 'extra')).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(await withArgs(deck, 'poll:reveal', { roundId }, 'extra')).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    const room = (await ctx.server.app.rooms.find(ctx.session.session.code))!;
    expect(room.currentRound()).toMatchObject({ id: roundId, status: 'open' });
    expect(countVoters(ctx.server.dataDir, roundId)).toBe(0);
  });
});

describe('handshakes and REST', () => {
  it('refuses a presenter with a wrong key, an unknown code and an unknown participant token', async () => {
    const wrongKey = connect(ctx.server.baseUrl, { role: 'presenter', code: ctx.session.session.code, key: 'x'.repeat(32) });
    const unknownCode = connect(ctx.server.baseUrl, { role: 'presenter', code: 'AAAAAA', key: ctx.session.presenterKey });
    const unknownToken = connect(ctx.server.baseUrl, { role: 'participant', code: ctx.session.session.code, token: 'y'.repeat(32) });
    const noRole = connect(ctx.server.baseUrl, { code: ctx.session.session.code });
    ctx.sockets.push(wrongKey, unknownCode, unknownToken, noRole);
    expect((await connectError(wrongKey)).data?.code).toBe('unauthorized');
    expect((await connectError(unknownCode)).data?.code).toBe('session_not_found');
    expect((await connectError(unknownToken)).data?.code).toBe('unauthorized');
    expect((await connectError(noRole)).data?.code).toBe('invalid_payload');
  });

  it('answers bad REST bodies with 400 and creates nothing', async () => {
    const admin = await adminOf(ctx.server.baseUrl);
    const post = (path: string, body: string) => fetch(`${ctx.server.baseUrl}${path}`, { method: 'POST', headers: admin.headers, body });
    const notJson = await post('/api/sessions', '{oops');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    const extra = await post('/api/sessions', JSON.stringify({ course: 'sample', admin: true }));
    expect(extra.status).toBe(400);
    const longNickname = await post(`/api/sessions/${ctx.session.session.code}/participants`, JSON.stringify({ nickname: 'あ'.repeat(31) }));
    expect(longNickname.status).toBe(400);
    const unknownCourse = await post('/api/sessions', JSON.stringify({ course: 'nope' }));
    expect(unknownCourse.status).toBe(404);
    expect((await ctx.server.app.rooms.find(ctx.session.session.code))!.participantCount).toBe(0);
    const sql = openSql(ctx.server.dataDir);
    const count = sql.prepare('SELECT COUNT(*) AS n FROM sessions').get() as { n: number };
    sql.close();
    expect(count.n).toBe(1);
  });
});
