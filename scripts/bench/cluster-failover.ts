/**
 * bench:cluster, scenario "failover": a session of N phones on a three-node cluster behind
 * node-router, every phone and the projector following the owner with the pages' own logic
 * (client/lib/session-home.ts). A round opens, the phones vote over a window, and halfway through
 * the owner gets `kill -9`. Measured from the kill, on this process's clock: the router marking the
 * node down; the lease free (the owner's last heartbeat older than the dead interval, on the database's
 * clock) and taken by another node (PostgreSQL polled every 50 ms); the first and the last phone synced
 * again on another node. Then every phone's vote is checked: each acknowledged before the kill is in
 * the database, none is stored twice (a vote whose acknowledgement never came is resent with the same
 * id), and the projector's tally equals the database.
 */
import pg from 'pg';
import { DEFAULT_CLUSTER_TIMING } from '../../server/cluster/cluster-timing.ts';
import { NODE_QUERY_PARAM } from '../../shared/contract.ts';
import { createBenchSession } from './bench-session.ts';
import { startBenchCluster, type BenchCluster } from './cluster-nodes.ts';
import { FollowingPhone, FollowingPresenter } from './following-clients.ts';
import { joinOverRest } from './participant-pool.ts';
import { readStoredVotes } from './stored-votes.ts';
import { createSeededRandom, mapWithConcurrency, shuffleIndexes, sleep, waitUntil } from './stats.ts';

export interface FailoverOptions {
  projectRoot: string;
  participants: number;
  /** The phones' votes are spread over this window; the owner is killed halfway. */
  windowMs: number;
  questionId: string;
  serverCpu: number | null;
  routerCpu: number | null;
  timeoutMs: number;
  seed: number;
  log(line: string): void;
}

/** Milliseconds from the kill (null: never happened within the timeout). */
export interface FailoverTimeline {
  routerMarkedDownMs: number | null;
  leaseFreeMs: number | null;
  leaseTakenMs: number | null;
  firstPhoneSyncedMs: number | null;
  lastPhoneSyncedMs: number | null;
  presenterSyncedMs: number | null;
}

export interface FailoverRun {
  participants: number;
  killedNode: string;
  newOwner: string | null;
  epochBefore: number;
  epochAfter: number | null;
  timeline: FailoverTimeline;
  /** Phones synced again on a node other than the killed one, out of all. */
  phonesResynced: number;
  /** Of those, phones whose socket still named the dead node: the router sent them to any node, and it was the owner. */
  resyncedNamingDeadNode: number;
  votes: {
    ackedBeforeKill: number;
    /** Acknowledged before the kill and missing from the database, or stored with another choice: must be 0. */
    ackedBeforeKillMissing: number;
    /** Votes sent more than once with the same id (no acknowledgement came before the connection dropped). */
    resent: number;
    /** Tapped while the phone had no connection, sent once synced again. */
    tappedWhileDown: number;
    /** Every phone's vote acknowledged by the end. */
    ackedInTheEnd: number;
    storedRows: number;
    storedWrongChoices: number;
    /** Vote events stored twice under the same vote id: must be 0. */
    storedTwice: number;
    refusals: number;
    isTallyEqualToDatabase: boolean;
  };
  isEveryCheckPassed: boolean;
}

/** How often the lease and the owner's heartbeat are read while the session fails over. */
const LEASE_POLL_MS = 50;
const ACK_TIMEOUT_MS = 10_000;
const JOIN_CONCURRENCY = 50;
const CONNECT_CONCURRENCY = 200;
const COURSE = 'kasuhara';

interface LeaseReading {
  nodeId: string | null;
  epoch: number;
  /** now() − the owner's last heartbeat, on the database clock, in ms; null without an owner. */
  heartbeatAgeMs: number | null;
}

async function readLease(client: pg.Client, sessionId: string): Promise<LeaseReading | null> {
  const { rows } = await client.query<{ node_id: string | null; epoch: string; age_ms: number | null }>(
    `SELECT l.node_id, l.epoch, EXTRACT(EPOCH FROM now() - n.heartbeat_at) * 1000 AS age_ms
     FROM session_leases l LEFT JOIN nodes n ON n.incarnation = l.incarnation
     WHERE l.session_id = $1`,
    [sessionId],
  );
  const row = rows[0];
  return row ? { nodeId: row.node_id, epoch: Number(row.epoch), heartbeatAgeMs: row.age_ms === null ? null : Number(row.age_ms) } : null;
}

/** A unique vote id of 20 characters, as the server wants them (16 to 32 of A-Z a-z 0-9 _ -). */
function voteIdOf(seed: number, index: number): string {
  return `fo${seed.toString(36).padStart(8, '0')}${index.toString(36).padStart(10, '0')}`.slice(0, 32);
}

async function runWithCluster(cluster: BenchCluster, options: FailoverOptions): Promise<FailoverRun> {
  const { router } = cluster;
  const created = await createBenchSession(router.url, { course: COURSE, expectedParticipants: 20_000, timeoutMs: options.timeoutMs });
  const code = created.session.code;
  const owner = await cluster.homeOf(code, options.timeoutMs);
  const joined = await mapWithConcurrency(options.participants, JOIN_CONCURRENCY, (i) =>
    joinOverRest(router.url, code, `failover-${i}`, { [NODE_QUERY_PARAM]: owner.nodeId }),
  );
  const presenter = new FollowingPresenter(router.url, code, created.presenterKey);
  const phones: FollowingPhone[] = [];
  const admin = new pg.Client({ connectionString: cluster.database.url, application_name: 'kotae-bench-failover' });
  await admin.connect();
  try {
    // The room fills up a few hundred phones at a time, as the other scenarios' pools do.
    await mapWithConcurrency(joined.length, CONNECT_CONCURRENCY, async (i) => {
      const phone = new FollowingPhone(router.url, code, (joined[i] as { token: string }).token, ACK_TIMEOUT_MS);
      phones[i] = phone;
      await waitUntil(() => phone.isSynced, options.timeoutMs, 20);
    });
    const isEveryoneSynced = await waitUntil(() => presenter.syncs.length > 0 && phones.every((phone) => phone.isSynced), options.timeoutMs, 20);
    if (!isEveryoneSynced) throw new Error(`only ${phones.filter((phone) => phone.isSynced).length} of ${phones.length} phones connected`);
    const sessionId = (await admin.query<{ id: string }>('SELECT id FROM sessions WHERE code = $1', [code])).rows[0]?.id;
    if (!sessionId) throw new Error(`session ${code} is not in the database`);
    const round = await presenter.openPoll(options.questionId, options.timeoutMs);
    if (!(await waitUntil(() => phones.every((phone) => phone.hasRound(round.roundId)), options.timeoutMs, 20))) throw new Error('the round did not reach every phone');
    const before = await readLease(admin, sessionId);
    if (!before || before.nodeId !== owner.nodeId) throw new Error(`the lease of ${code} is not on ${owner.nodeId}: ${JSON.stringify(before)}`);

    // The votes: one per phone, spread over the window in a seeded order; the owner dies halfway.
    const random = createSeededRandom(options.seed);
    const order = shuffleIndexes(phones.length, random);
    const schedule = order.map((index, slot) => ({ index, atMs: ((slot + random()) * options.windowMs) / phones.length, choice: random() < 0.6 ? 'o' : 'x' }));
    const startedAt = performance.now();
    const killAtMs = options.windowMs / 2;
    let killedAt = 0;
    /** When the killed node had exited: any snapshot a phone gets after it comes from another node. */
    let exitedAt = Number.POSITIVE_INFINITY;
    const killed = (async () => {
      await sleep(killAtMs);
      killedAt = performance.now();
      await cluster.kill(owner.nodeId);
      exitedAt = performance.now();
    })();
    let tappedWhileDown = 0;
    for (const vote of schedule) {
      const wait = startedAt + vote.atMs - performance.now();
      if (wait > 1) await sleep(wait);
      const phone = phones[vote.index] as FollowingPhone;
      if (!phone.socket.connected) tappedWhileDown += 1;
      phone.tap(voteIdOf(options.seed, vote.index), vote.choice);
    }
    await killed;

    const ackedBeforeKill = phones.filter((phone) => phone.vote?.ackedAt !== null && phone.vote?.ackedAt !== undefined && phone.vote.ackedAt < killedAt);

    // The failover, polled from PostgreSQL and watched at the router and the phones.
    const timeline: FailoverTimeline = { routerMarkedDownMs: null, leaseFreeMs: null, leaseTakenMs: null, firstPhoneSyncedMs: null, lastPhoneSyncedMs: null, presenterSyncedMs: null };
    const sinceKill = (at: number): number => at - killedAt;
    void router.waitForState(owner.nodeId, false, options.timeoutMs).then(
      () => (timeline.routerMarkedDownMs = sinceKill(performance.now())),
      () => undefined,
    );
    let after: LeaseReading | null = null;
    const deadline = killedAt + options.timeoutMs;
    // A phone may name the dead node and still land on the new owner (the router sends a request for
    // a node that is down to any node, and the owner serves it): the route's node does not tell.
    const resyncOf = (phone: FollowingPhone): number | undefined => phone.syncs.find((sync) => sync.at > exitedAt)?.at;
    const isResynced = (phone: FollowingPhone): boolean => resyncOf(phone) !== undefined;
    while (performance.now() < deadline) {
      const reading = await readLease(admin, sessionId);
      const at = sinceKill(performance.now());
      const hasMoved = reading !== null && reading.nodeId !== null && reading.nodeId !== owner.nodeId;
      if (timeline.leaseFreeMs === null && (hasMoved || reading?.nodeId === null || (reading?.heartbeatAgeMs ?? 0) >= DEFAULT_CLUSTER_TIMING.deadAfterMs)) timeline.leaseFreeMs = at;
      if (timeline.leaseTakenMs === null && hasMoved) {
        timeline.leaseTakenMs = at;
        after = reading;
      }
      const everyoneBack = phones.every(isResynced) && presenter.syncs.some((syncedAt) => syncedAt > exitedAt);
      const everyVoteAcked = phones.every((phone) => phone.vote?.ackedAt !== null && phone.vote?.ackedAt !== undefined);
      if (timeline.leaseTakenMs !== null && everyoneBack && everyVoteAcked) break;
      await sleep(LEASE_POLL_MS);
    }
    const resyncTimes = phones.map(resyncOf).filter((at): at is number => at !== undefined);
    timeline.firstPhoneSyncedMs = resyncTimes.length > 0 ? sinceKill(Math.min(...resyncTimes)) : null;
    timeline.lastPhoneSyncedMs = resyncTimes.length === phones.length ? sinceKill(Math.max(...resyncTimes)) : null;
    const presenterBack = presenter.syncs.find((syncedAt) => syncedAt > exitedAt);
    timeline.presenterSyncedMs = presenterBack === undefined ? null : sinceKill(presenterBack);

    // Every vote, three ways: the phones' acknowledgements, the database, the projector's tally.
    const stored = await readStoredVotes({ engine: 'postgres', url: cluster.database.url }, round.roundId);
    const choiceOf = (phone: FollowingPhone): string | undefined => phone.vote?.choice;
    const participantIdOf = new Map(phones.map((phone, i) => [phone, (joined[i] as { participantId: string }).participantId]));
    const ackedBeforeKillMissing = ackedBeforeKill.filter((phone) => stored.choices.get(participantIdOf.get(phone) as string) !== choiceOf(phone)).length;
    const storedWrongChoices = phones.filter((phone) => phone.vote && stored.choices.get(participantIdOf.get(phone) as string) !== phone.vote.choice).length;
    await waitUntil(() => presenter.latestTally?.roundId === round.roundId && presenter.latestTally.voted === stored.rows, 2_000, 20);
    const tally = presenter.latestTally;
    const storedCounts = { o: 0, x: 0 } as Record<string, number>;
    for (const choice of stored.choices.values()) storedCounts[choice] = (storedCounts[choice] ?? 0) + 1;
    const isTallyEqualToDatabase =
      tally !== null && tally.roundId === round.roundId && tally.voted === stored.rows && Object.entries(storedCounts).every(([key, count]) => (tally.counts[key] ?? 0) === count);
    const ackedInTheEnd = phones.filter((phone) => phone.vote?.ackedAt !== null && phone.vote?.ackedAt !== undefined).length;
    const votes = {
      ackedBeforeKill: ackedBeforeKill.length,
      ackedBeforeKillMissing,
      resent: phones.filter((phone) => (phone.vote?.sends ?? 0) > 1).length,
      tappedWhileDown,
      ackedInTheEnd,
      storedRows: stored.rows,
      storedWrongChoices,
      storedTwice: stored.duplicateEvents,
      refusals: phones.reduce((sum, phone) => sum + (phone.vote?.refusals ?? 0), 0),
      isTallyEqualToDatabase,
    };
    return {
      participants: phones.length,
      killedNode: owner.nodeId,
      newOwner: after?.nodeId ?? null,
      epochBefore: before.epoch,
      epochAfter: after?.epoch ?? null,
      timeline,
      phonesResynced: resyncTimes.length,
      resyncedNamingDeadNode: phones.filter((phone) => phone.syncs.find((sync) => sync.at > exitedAt)?.nodeId === owner.nodeId).length,
      votes,
      isEveryCheckPassed:
        resyncTimes.length === phones.length &&
        ackedBeforeKillMissing === 0 &&
        ackedInTheEnd === phones.length &&
        stored.rows === phones.length &&
        storedWrongChoices === 0 &&
        stored.duplicateEvents === 0 &&
        isTallyEqualToDatabase,
    };
  } finally {
    for (const phone of phones) phone.close();
    presenter.close();
    await admin.end();
  }
}

/** One failover on a fresh three-node cluster. */
export async function runFailover(options: FailoverOptions): Promise<FailoverRun> {
  const cluster = await startBenchCluster({ projectRoot: options.projectRoot, nodeIds: ['kotae-1', 'kotae-2', 'kotae-3'], cpu: options.serverCpu, routerCpu: options.routerCpu });
  try {
    return await runWithCluster(cluster, options);
  } finally {
    await cluster.close();
  }
}
