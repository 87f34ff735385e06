import { describe, expect, it } from 'vitest';
import type { CreatedSession, ParticipantTestView, PresenterTestView, TestChoice } from '../../shared/contract.ts';
import { connectParticipant, connectPresenter, nextEvent, requireOk, type ClientSocket } from '../support/clients.ts';
import { createSession, type TestServer } from '../support/test-app.ts';
import { useServers } from '../support/fixtures.ts';

const servers = useServers();
const sockets = servers.sockets;
let server: TestServer;

const GROUPS = ['1班', '2班'];

async function start(settings: Record<string, unknown> = { groups: GROUPS }): Promise<{ session: CreatedSession; deck: ClientSocket }> {
  server = await servers.start();
  const session = await createSession(server.baseUrl, { course: 'sample', settings });
  const { socket: deck } = await connectPresenter(server.baseUrl, session.session.code, session.presenterKey);
  sockets.push(deck);
  return { session, deck };
}

async function join(session: CreatedSession, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${server.baseUrl}/api/sessions/${session.session.code}/participants`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

interface Phone {
  token: string;
  socket: ClientSocket;
}

async function phoneIn(session: CreatedSession, group?: string): Promise<Phone> {
  const joined = (await (await join(session, group ? { group } : {})).json()) as { data: { token: string } };
  const { socket } = await connectParticipant(server.baseUrl, session.session.code, joined.data.token);
  sockets.push(socket);
  return { token: joined.data.token, socket };
}

/** Reconnects a phone as a reload would, and returns the test its snapshot shows. */
async function reload(session: CreatedSession, phone: Phone): Promise<ParticipantTestView | null> {
  phone.socket.disconnect();
  const again = await connectParticipant(server.baseUrl, session.session.code, phone.token);
  sockets.push(again.socket);
  phone.socket = again.socket;
  return again.snapshot.test;
}

describe('groups', () => {
  it('takes a participant into one of the session’s groups and refuses any other', async () => {
    const { session } = await start();
    expect((await join(session, { group: '2班' })).status).toBe(201);
    for (const body of [{}, { group: '9班' }]) {
      const refused = await join(session, body);
      expect(refused.status).toBe(409);
      expect(await refused.json()).toMatchObject({ ok: false, error: { code: 'group_not_found' } });
    }
    const info = (await (await fetch(`${server.baseUrl}/api/sessions/${session.session.code}`)).json()) as { data: { groups: string[] } };
    expect(info.data.groups).toEqual(GROUPS);
    expect((await server.app.rooms.find(session.session.code))!.participantCount).toBe(1);
  });

  it('tallies each group live, and shows who changed their answer in the re-vote, overall and per group', async () => {
    const { session, deck } = await start();
    const phones = [await phoneIn(session, '1班'), await phoneIn(session, '1班'), await phoneIn(session, '2班')];
    const first = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));
    const tally = nextEvent(deck, 'tally:changed', (next) => next.voted === 3);
    for (const [index, choice] of ['x', 'x', 'o'].entries()) requireOk(await phones[index]!.socket.emitWithAck('vote:cast', { roundId: first.roundId, choice }));
    expect((await tally).groups).toEqual([
      { group: '1班', counts: { o: 0, x: 2 }, voted: 2 },
      { group: '2班', counts: { o: 1, x: 0 }, voted: 1 },
    ]);
    requireOk(await deck.emitWithAck('poll:close', { roundId: first.roundId }));

    const second = requireOk(await deck.emitWithAck('poll:open', { questionId: 'q-basic' }));
    for (const [index, choice] of ['o', 'x', 'x'].entries()) requireOk(await phones[index]!.socket.emitWithAck('vote:cast', { roundId: second.roundId, choice }));
    const closed = requireOk(await deck.emitWithAck('poll:close', { roundId: second.roundId }));
    expect(closed.number).toBe(2);
    expect(closed.shift).toMatchObject({ previousNumber: 1, previousCounts: { o: 1, x: 2 }, votedBoth: 3, changed: 2 });
    expect(closed.shift?.groups).toEqual([
      { group: '1班', votedBoth: 2, changed: 1 },
      { group: '2班', votedBoth: 1, changed: 1 },
    ]);
  });
});

/** The test's keys, as the phones must never see them. */
async function keysOf(session: CreatedSession): Promise<Map<string, TestChoice>> {
  return new Map((await server.app.rooms.find(session.session.code))!.testItems.map((item) => [item.id, item.answer]));
}

describe('the knowledge test', () => {
  it('runs on 12 phones in two groups with reloads in the middle, then scores each phone privately', async () => {
    const { session, deck } = await start();
    const phones = await Promise.all(Array.from({ length: 12 }, (_, index) => phoneIn(session, GROUPS[index % 2])));
    const delivered = phones.map((phone) => nextEvent(phone.socket, 'test:changed'));
    const opened = requireOk(await deck.emitWithAck('test:open', { kind: 'post' }));
    expect(opened).toMatchObject({ kind: 'post', status: 'open', itemCount: 20, submitted: 0, participants: 12, stats: null });
    const tests = await Promise.all(delivered);
    expect(tests[0]).toMatchObject({ runId: opened.runId, status: 'open', position: 0, answers: {}, result: null });
    expect(tests[0]!.items).toHaveLength(20);
    for (const test of tests) expect(JSON.stringify(test)).not.toMatch(/"answer"|explanation/);

    const keys = await keysOf(session);
    const itemIds = tests[0]!.items.map((item) => item.id);
    // Phone i answers the first 20 - i items rightly and the rest wrongly: scores 20, 19, … 9.
    const answerOf = (phoneIndex: number, itemIndex: number): TestChoice => {
      const key = keys.get(itemIds[itemIndex]!)!;
      return itemIndex < 20 - phoneIndex ? key : key === 'o' ? 'x' : 'o';
    };
    await Promise.all(
      phones.map(async (phone, phoneIndex) => {
        for (let itemIndex = 0; itemIndex < 10; itemIndex += 1) {
          requireOk(await phone.socket.emitWithAck('test:answer', { runId: opened.runId, itemId: itemIds[itemIndex]!, choice: answerOf(phoneIndex, itemIndex) }));
        }
      }),
    );
    // Half the phones reload in the middle: they resume on the same item with their answers.
    for (const phone of phones.slice(0, 6)) {
      requireOk(await phone.socket.emitWithAck('test:move', { runId: opened.runId, position: 10 }));
      const resumed = await reload(session, phone);
      expect(resumed).toMatchObject({ runId: opened.runId, position: 10, submitted: false });
      expect(Object.keys(resumed!.answers)).toHaveLength(10);
    }
    await Promise.all(
      phones.map(async (phone, phoneIndex) => {
        for (let itemIndex = 10; itemIndex < 20; itemIndex += 1) {
          requireOk(await phone.socket.emitWithAck('test:answer', { runId: opened.runId, itemId: itemIds[itemIndex]!, choice: answerOf(phoneIndex, itemIndex) }));
        }
        // The last phone does not submit: the presenter closes the test for it.
        if (phoneIndex < 11) expect(requireOk(await phone.socket.emitWithAck('test:submit', { runId: opened.runId }))).toMatchObject({ submitted: true, position: 20 });
      }),
    );
    expect(await phones[0]!.socket.emitWithAck('test:answer', { runId: opened.runId, itemId: itemIds[0]!, choice: 'o' })).toMatchObject({
      ok: false,
      error: { code: 'test_already_submitted' },
    });

    const results = phones.map((phone) => nextEvent(phone.socket, 'participant:synced'));
    const closed: PresenterTestView = requireOk(await deck.emitWithAck('test:close', { runId: opened.runId }));
    expect(closed.submitted).toBe(11);
    expect(closed.stats).toMatchObject({ scored: 12, mean: 14.5, median: 14.5 });
    expect(closed.stats!.histogram.slice(9)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(closed.stats!.groups).toEqual([
      { group: '1班', scored: 6, mean: 15 },
      { group: '2班', scored: 6, mean: 14 },
    ]);
    expect(closed.stats!.leaderboard).toBeNull();
    expect(closed.stats!.items[0]!.rate).toBeLessThan(closed.stats!.items.at(-1)!.rate);

    const snapshots = await Promise.all(results);
    snapshots.forEach((snapshot, phoneIndex) => {
      expect(snapshot.test?.result).toMatchObject({ score: 20 - phoneIndex, total: 20 });
      expect(snapshot.test?.result?.missed).toHaveLength(phoneIndex);
      // A phone learns its own score only: nothing of the room's distribution or anyone else's score.
      expect(JSON.stringify(snapshot)).not.toMatch(/histogram|leaderboard|"mean"|"scored"/);
    });
    expect(snapshots[3]!.test!.result!.missed[0]).toMatchObject({ itemId: itemIds[17], yourChoice: expect.any(String), explanation: expect.any(String) });
    expect(await phones[11]!.socket.emitWithAck('test:submit', { runId: opened.runId })).toMatchObject({ ok: false, error: { code: 'test_not_open' } });
  });

  it('closes by itself once every participant has submitted', async () => {
    const { session, deck } = await start({});
    const phones = [await phoneIn(session), await phoneIn(session)];
    const { runId } = requireOk(await deck.emitWithAck('test:open', { kind: 'post' }));
    const closedForPresenter = nextEvent(deck, 'presenter:synced', (snapshot) => snapshot.tests.post?.status === 'closed');
    for (const phone of phones) requireOk(await phone.socket.emitWithAck('test:submit', { runId }));
    expect((await closedForPresenter).tests.post).toMatchObject({ submitted: 2, stats: { scored: 0 } });
  });

  it('shows the gain from the pre-test to the test on the items both asked, and the top scores when switched on', async () => {
    const { session, deck } = await start({ prePost: true, leaderboard: 3 });
    const [a, b] = [await phoneIn(session), await phoneIn(session)];
    const pre = requireOk(await deck.emitWithAck('test:open', { kind: 'pre' }));
    expect(pre.itemCount).toBe(5);
    const keys = await keysOf(session);
    const preItems = (await server.app.rooms.find(session.session.code))!.latestTestRun('pre')!.itemIds;
    for (const itemId of preItems.slice(0, 2)) requireOk(await a.socket.emitWithAck('test:answer', { runId: pre.runId, itemId, choice: keys.get(itemId)! }));
    requireOk(await b.socket.emitWithAck('test:answer', { runId: pre.runId, itemId: preItems[0]!, choice: keys.get(preItems[0]!) === 'o' ? 'x' : 'o' }));
    requireOk(await deck.emitWithAck('test:close', { runId: pre.runId }));

    const post = requireOk(await deck.emitWithAck('test:open', { kind: 'post' }));
    const postItems = (await server.app.rooms.find(session.session.code))!.latestTestRun('post')!.itemIds;
    for (const phone of [a, b]) {
      for (const itemId of postItems) requireOk(await phone.socket.emitWithAck('test:answer', { runId: post.runId, itemId, choice: keys.get(itemId)! }));
    }
    const closed = requireOk(await deck.emitWithAck('test:close', { runId: post.runId }));
    expect(closed.gain).toMatchObject({ pre: 0.2, post: 1 });
    expect(closed.gain!.items).toHaveLength(5);
    expect(closed.stats!.leaderboard).toEqual([
      { nickname: '匿名', score: 20 },
      { nickname: '匿名', score: 20 },
    ]);
    const results = await fetch(`${server.baseUrl}/api/sessions/${session.session.code}/results`, { headers: { 'X-Organizer-Key': session.organizerKey } });
    const tests = ((await results.json()) as { data: { tests: PresenterTestView[] } }).data.tests;
    expect(tests.map((test) => [test.kind, test.stats?.scored, test.gain?.post])).toEqual([
      ['pre', 2, undefined],
      ['post', 2, 1],
    ]);
  });

  it('is started and closed only by the presenter, and a second test waits for the first to close', async () => {
    const { session, deck } = await start({});
    const phone = await phoneIn(session);
    expect(await (phone.socket as unknown as { emitWithAck(e: string, p: unknown): Promise<unknown> }).emitWithAck('test:open', { kind: 'post' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    requireOk(await deck.emitWithAck('test:open', { kind: 'post' }));
    expect(await deck.emitWithAck('test:open', { kind: 'pre' })).toMatchObject({ ok: false, error: { code: 'test_already_open' } });
  });
});
