/**
 * Three real server processes (server/main.ts) on one PostgreSQL database, behind the in-test router
 * that stands in for the shipped HAProxy config, with clients following their session's owner through
 * the pages' own logic (client/lib/session-home.ts): sessions spread, long-polling without
 * stickiness, `kill -9` of an owner in the middle of a vote, and an owner paused beyond its lease.
 * Production timing throughout: heartbeat 1 s, unhealthy after 3 s, dead after 5 s.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PresenterSnapshot, ParticipantSnapshot, Tally } from '../../shared/contract.ts';
import { closeAll, connect, nextEvent, requireOk, type ClientSocket } from '../support/clients.ts';
import type { PostgresTestDatabase } from '../support/postgres.ts';
import { followingSocket as followingSocketOf, homeOf, joinThroughRouter, startProcessCluster, type ProcessCluster } from '../support/process-cluster.ts';
import { kill } from '../support/server-process.ts';
import { createSession } from '../support/test-app.ts';

let cluster: ProcessCluster | undefined;
const sockets: ClientSocket[] = [];
afterEach(async () => {
  closeAll(sockets.splice(0));
  await cluster?.close();
  cluster = undefined;
});

async function startCluster(): Promise<ProcessCluster> {
  cluster = await startProcessCluster(3);
  return cluster;
}

/** A following socket, closed after the test. */
function followingSocket(...args: Parameters<typeof followingSocketOf>): ClientSocket {
  const socket = followingSocketOf(...args);
  sockets.push(socket);
  return socket;
}

const join = joinThroughRouter;

/** Every stored vote event of a round. */
function voteEventsOf(database: PostgresTestDatabase, roundId: string): Promise<Array<{ participant_id: string; choice: string; vote_id: string | null }>> {
  return database.query(`SELECT participant_id, choice, vote_id FROM vote_events WHERE round_id = '${roundId}' ORDER BY id`);
}

/** The round's counts as the database has them: each participant's latest vote. */
async function countsInDatabase(database: PostgresTestDatabase, roundId: string): Promise<Record<string, number>> {
  const rows = await database.query<{ choice: string; n: number }>(`SELECT choice, COUNT(*)::int AS n FROM votes WHERE round_id = '${roundId}' GROUP BY choice`);
  return Object.fromEntries(rows.map((row) => [row.choice, row.n]));
}

function nonZero(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}

describe('three nodes behind a router that routes by node=', () => {
  it('spread sessions over the nodes, and serve a long-polling phone without sticky sessions', async () => {
    const { router } = await startCluster();
    const codes: string[] = [];
    for (let i = 0; i < 6; i += 1) codes.push((await createSession(router.url)).session.code);
    const homes = await Promise.all(codes.map((code) => homeOf(router.url, code)));
    const perNode = new Map<string, number>();
    for (const home of homes) perNode.set(home.nodeId, (perNode.get(home.nodeId) ?? 0) + 1);
    expect([...perNode.entries()].sort()).toEqual([
      ['kotae-1', 2],
      ['kotae-2', 2],
      ['kotae-3', 2],
    ]);

    // Every long-polling request names the owner, so whichever router connection carries it, it reaches the owner.
    const created = await createSession(router.url);
    const joined = await join(router.url, created.session.code, 'ポーリング');
    const presenter = followingSocket(router.url, created.session.code, { role: 'presenter', code: created.session.code, key: created.presenterKey });
    const phone = followingSocket(router.url, created.session.code, { role: 'participant', code: created.session.code, token: joined.token }, ['polling']);
    await Promise.all([nextEvent(presenter, 'presenter:synced', undefined, 10_000), nextEvent(phone, 'participant:synced', undefined, 10_000)]);
    expect(phone.io.engine.transport.name).toBe('polling');
    const opened = nextEvent(phone, 'round:changed', (round) => round !== null && round.status === 'open');
    const { roundId } = requireOk(await presenter.emitWithAck('poll:open', { questionId: 'q-basic' }));
    expect((await opened)?.roundId).toBe(roundId);
    expect(await phone.emitWithAck('vote:cast', { roundId, choice: 'o', voteId: 'long-polling-vote-1' })).toMatchObject({ ok: true });
  });

  it('after kill -9 of the owner of a 200-phone session mid-vote, every phone shows the open round and its own vote on another node within 10 s', async () => {
    const { router, node, database } = await startCluster();
    const created = await createSession(router.url);
    const code = created.session.code;
    const owner = node((await homeOf(router.url, code)).nodeId);
    const presenter = followingSocket(router.url, code, { role: 'presenter', code, key: created.presenterKey });
    const projectorTally = watchTally(presenter);
    await nextEvent(presenter, 'presenter:synced', undefined, 10_000);

    const phoneCount = 200;
    const joined = await Promise.all(Array.from({ length: phoneCount }, (_, i) => join(router.url, code, `参加者${i + 1}`)));
    const phones = joined.map((participant) => {
      const socket = followingSocket(router.url, code, { role: 'participant', code, token: participant.token });
      const synced: Array<{ at: number; snapshot: ParticipantSnapshot }> = [];
      socket.on('participant:synced', (snapshot) => synced.push({ at: performance.now(), snapshot }));
      return { ...participant, socket, synced, acked: undefined as { choice: string; voteId: string } | undefined };
    });
    await expect.poll(() => phones.every((phone) => phone.synced.length > 0), { timeout: 20_000 }).toBe(true);
    const { roundId } = requireOk(await presenter.emitWithAck('poll:open', { questionId: 'q-basic' }));

    // Votes spread over 1.5 s; the owner is killed after 0.6 s.
    const outcomes = phones.map(async (phone, i) => {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 1_500));
      const vote = { roundId, choice: i % 3 === 0 ? 'x' : 'o', voteId: `failover-vote-${String(i).padStart(4, '0')}` };
      const ack = await phone.socket
        .timeout(15_000)
        .emitWithAck('vote:cast', vote)
        .catch(() => undefined);
      if (ack?.ok) phone.acked = vote;
    });
    await new Promise((resolve) => setTimeout(resolve, 600));
    const ackedBeforeKill = new Set(phones.filter((phone) => phone.acked).map((phone) => phone.participantId));
    const killedAt = performance.now();
    await kill(owner.process);

    const isResynced = (phone: (typeof phones)[number]): boolean =>
      phone.synced.some(({ at, snapshot }) => at > killedAt && snapshot.round?.roundId === roundId && snapshot.round.status === 'open');
    await expect.poll(() => phones.filter(isResynced).length, { timeout: 10_000, interval: 100 }).toBe(phoneCount);
    const resyncedAt = phones.map((phone) => phone.synced.find(({ at }) => at > killedAt)!.at - killedAt);
    const sorted = [...resyncedAt].sort((x, y) => x - y);
    const at = (q: number): number => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
    console.info(`kill -9 → phones resynced: first ${at(0)} ms, median ${at(0.5)} ms, last ${at(1)} ms; ${ackedBeforeKill.size} votes acknowledged before the kill`);
    expect(ackedBeforeKill.size).toBeGreaterThan(0);
    const newOwner = await homeOf(router.url, code);
    expect(newOwner.nodeId).not.toBe(owner.nodeId);

    await Promise.all(outcomes);
    const events = await voteEventsOf(database, roundId);
    const stored = new Map(events.map((event) => [event.vote_id, event]));
    // Every acknowledged vote is stored, and no vote id twice.
    for (const phone of phones.filter((candidate) => candidate.acked)) {
      expect(stored.get(phone.acked!.voteId)).toMatchObject({ participant_id: phone.participantId, choice: phone.acked!.choice });
    }
    expect(events.length).toBe(stored.size);
    // Each phone's snapshot from the new owner told the truth about its vote.
    for (const phone of phones) {
      const resync = phone.synced.find(({ at }) => at > killedAt)!.snapshot;
      const storedBefore = events.find((event) => event.participant_id === phone.participantId);
      if (ackedBeforeKill.has(phone.participantId)) expect(resync.myChoice).toBe(phone.acked!.choice);
      if (resync.myChoice !== null) expect(storedBefore?.choice).toBe(resync.myChoice);
    }
    // The projector, following too, shows the database's tally.
    const expected = await countsInDatabase(database, roundId);
    await expect.poll(() => nonZero(projectorTally()), { timeout: 5_000 }).toEqual(expected);
  }, 90_000);

  it('an owner paused beyond its lease acknowledges no vote once it resumes, and its clients move to the new owner', async () => {
    const { router, node, database } = await startCluster();
    const created = await createSession(router.url);
    const code = created.session.code;
    const owner = node((await homeOf(router.url, code)).nodeId);
    const presenter = followingSocket(router.url, code, { role: 'presenter', code, key: created.presenterKey });
    await nextEvent(presenter, 'presenter:synced', undefined, 10_000);
    const { roundId } = requireOk(await presenter.emitWithAck('poll:open', { questionId: 'q-basic' }));
    // Phones straight on the owner (as behind a proxy that has not noticed anything): they are what it sees on resuming.
    const direct = await Promise.all(
      Array.from({ length: 5 }, async (_, i) => {
        const participant = await join(router.url, code, `直結${i + 1}`);
        const socket = connect(owner.process.baseUrl, { role: 'participant', code, token: participant.token });
        sockets.push(socket);
        await nextEvent(socket, 'participant:synced');
        return { ...participant, socket };
      }),
    );
    const follower = await join(router.url, code, '追従');
    const followingPhone = followingSocket(router.url, code, { role: 'participant', code, token: follower.token });
    await nextEvent(followingPhone, 'participant:synced', undefined, 10_000);
    requireOk(await direct[0]!.socket.emitWithAck('vote:cast', { roundId, choice: 'o', voteId: 'before-the-pause-1' }));

    owner.process.child.kill('SIGSTOP');
    // The session moves once the paused owner is dead to the database (5 s).
    await expect.poll(async () => (await homeOf(router.url, code)).nodeId, { timeout: 15_000, interval: 250 }).not.toBe(owner.nodeId);
    const moved = await nextEvent(followingPhone, 'participant:synced', (snapshot) => snapshot.round?.roundId === roundId, 15_000);
    expect(moved.round?.status).toBe('open');
    requireOk(await followingPhone.emitWithAck('vote:cast', { roundId, choice: 'x', voteId: 'on-the-new-owner-1' }));

    // The direct phones vote into the paused owner; it reads them only once it resumes.
    const movedEvents = direct.map((phone) => nextEvent(phone.socket, 'session:moved', undefined, 15_000).then(() => true, () => false));
    const lateVotes = direct.map((phone, i) =>
      phone.socket
        .timeout(10_000)
        .emitWithAck('vote:cast', { roundId, choice: 'x', voteId: `while-paused-${i}-xxxx` })
        .then((ack) => ack, () => undefined),
    );
    const exited = new Promise<number | null>((resolve) => owner.process.child.once('exit', (exitCode) => resolve(exitCode)));
    owner.process.child.kill('SIGCONT');

    const answers = await Promise.all(lateVotes);
    expect(answers.filter((ack) => ack?.ok)).toEqual([]);
    expect(await Promise.all(movedEvents)).toEqual(direct.map(() => true));
    expect(await exited).toBe(1);
    const stored = await voteEventsOf(database, roundId);
    expect(stored.map((event) => event.vote_id).sort()).toEqual(['before-the-pause-1', 'on-the-new-owner-1']);
  }, 90_000);
});

/** The counts of the latest tally the projector received (throttled updates, or a snapshot on reconnect). */
function watchTally(presenter: ClientSocket): () => Tally['counts'] {
  let counts: Tally['counts'] = {};
  presenter.on('tally:changed', (tally) => (counts = tally.counts));
  presenter.on('presenter:synced', (snapshot: PresenterSnapshot) => {
    if (snapshot.round) counts = snapshot.round.tally.counts;
  });
  return () => counts;
}
