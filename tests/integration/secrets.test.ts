import { describe, expect, it } from 'vitest';
import { connectPresenter, joinParticipant, nextEvent, type ClientSocket, requireOk } from '../support/clients.ts';
import { useServerWithSession } from '../support/fixtures.ts';
import { openSql } from '../support/sql.ts';

const ctx = useServerWithSession();

describe('secrets', () => {
  it('never sends a key, a token hash or an answer before the reveal to a phone', async () => {
    const { socket: deck } = await connectPresenter(ctx.server.baseUrl, ctx.session.session.code, ctx.session.presenterKey);
    const phone = await joinParticipant(ctx.server.baseUrl, ctx.session.session.code);
    ctx.sockets.push(deck, phone.socket);
    const received: string[] = [JSON.stringify(phone.snapshot)];
    phone.socket.onAny((_event, payload) => received.push(JSON.stringify(payload)));
    const closed = nextEvent(phone.socket, 'round:changed', (round) => round?.status === 'closed');
    const left = nextEvent(phone.socket, 'round:changed', (round) => round === null);
    requireOk(await deck.emitWithAck('deck:go-to', { slideId: 'ch1-5' }));
    const opened = requireOk(await deck.emitWithAck('poll:open', { questionId: 'case-choice' }));
    requireOk(await phone.socket.emitWithAck('vote:cast', { roundId: opened.roundId, choice: 'a' }));
    requireOk(await deck.emitWithAck('poll:close', { roundId: opened.roundId }));
    await closed;
    requireOk(await deck.emitWithAck('deck:go-to', { slideId: 'ch1-2' }));
    await left;
    const everything = received.join('\n');
    expect(everything).not.toContain(ctx.session.presenterKey);
    expect(everything).not.toContain(ctx.session.organizerKey);
    expect(everything).not.toContain('テスト用の判断内容です');
    expect(everything).not.toContain('"answer"');
    expect(everything).not.toContain('"outcome"');
    expect(everything).not.toContain('テスト用の教訓です');

    const publicInfo = await (await fetch(`${ctx.server.baseUrl}/api/sessions/${ctx.session.session.code}`)).text();
    expect(publicInfo).not.toContain(ctx.session.presenterKey);
    expect(publicInfo).not.toMatch(/hash/i);
  });

  it('stores keys and tokens only as hashes', async () => {
    const phone = await joinParticipant(ctx.server.baseUrl, ctx.session.session.code);
    ctx.sockets.push(phone.socket);
    const sql = openSql(ctx.server.dataDir);
    const dump = JSON.stringify([sql.prepare('SELECT * FROM sessions').all(), sql.prepare('SELECT * FROM participants').all()]);
    sql.close();
    for (const secret of [ctx.session.presenterKey, ctx.session.organizerKey, phone.token]) expect(dump).not.toContain(secret);
  });

  it('gives the deck only with the presenter key and the results only with the organizer key', async () => {
    const code = ctx.session.session.code;
    const deck = (key?: string) => fetch(`${ctx.server.baseUrl}/api/sessions/${code}/deck`, { headers: key ? { 'X-Presenter-Key': key } : {} });
    const results = (key?: string) => fetch(`${ctx.server.baseUrl}/api/sessions/${code}/results`, { headers: key ? { 'X-Organizer-Key': key } : {} });
    expect((await deck()).status).toBe(401);
    expect((await deck(ctx.session.organizerKey)).status).toBe(401);
    expect((await deck(ctx.session.presenterKey)).status).toBe(200);
    expect((await results()).status).toBe(401);
    expect((await results(ctx.session.presenterKey)).status).toBe(401);
    expect((await results(ctx.session.organizerKey)).status).toBe(200);
  });
});

describe('organizer results', () => {
  it('exports every round with its tally as JSON and as CSV for Excel', async () => {
    const { socket: deck } = await connectPresenter(ctx.server.baseUrl, ctx.session.session.code, ctx.session.presenterKey);
    const phones = await Promise.all([1, 2, 3].map(() => joinParticipant(ctx.server.baseUrl, ctx.session.session.code)));
    ctx.sockets.push(deck, ...phones.map((phone) => phone.socket));
    const opened = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));
    await Promise.all(phones.map((phone, i) => phone.socket.emitWithAck('vote:cast', { roundId: opened.roundId, choice: i === 0 ? 'o' : 'x' })));
    await deck.emitWithAck('poll:reveal', { roundId: opened.roundId });

    const headers = { 'X-Organizer-Key': ctx.session.organizerKey };
    const json = (await (await fetch(`${ctx.server.baseUrl}/api/sessions/${ctx.session.session.code}/results`, { headers })).json()) as {
      data: { participants: number; rounds: Array<Record<string, unknown>> };
    };
    expect(json.data.participants).toBe(3);
    expect(json.data.rounds).toMatchObject([{ questionId: 'q-basic', status: 'revealed', counts: { o: 1, x: 2 }, voted: 3, correct: 2, answer: 'x' }]);
    const csv = await fetch(`${ctx.server.baseUrl}/api/sessions/${ctx.session.session.code}/results.csv`, { headers });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const title = encodeURIComponent('テスト用コース｜短縮版（30分）');
    // The file is named by date (Japan time) and title, for Windows: 2026-11-28_テスト用コース｜短縮版（30分）_研修結果.csv
    expect(decodeURIComponent(csv.headers.get('content-disposition') ?? '')).toMatch(/filename\*=UTF-8''\d{4}-\d{2}-\d{2}_テスト用コース｜短縮版（30分）_研修結果\.csv$/);
    const body = await csv.text();
    expect(body.split('\r\n').find((line) => line.startsWith('"1",'))).toContain('"q-basic"');
  });
});
