/**
 * Every phone drops at once and comes back with its token; each must get a full snapshot again, with
 * the open round and its own vote intact.
 */
import { readOwnCpuTimeUs } from './generator-process.ts';
import type { ParticipantPool } from './participant-pool.ts';
import { createSeededRandom, summarize, waitUntil, type LatencySummary } from './stats.ts';
import { GENERATOR_BOUND_SHARE, type ServerProbe } from './vote-round.ts';

export interface ReconnectStormOptions {
  /** The round that is open, and each participant's last vote on it. */
  roundId: string;
  finalChoices: Map<string, string>;
  /** Reconnects start uniformly over this spread after the drop; 0: all at once. */
  spreadMs: number;
  seed: number;
  timeoutMs: number;
}

export interface ReconnectStormResult {
  participants: number;
  /** Drop -> the last phone has its snapshot again. */
  allSyncedMs: number;
  /** Per phone: its reconnect began -> its snapshot arrived. */
  syncLatencyMs: LatencySummary;
  synced: number;
  /** Snapshots with the open round and the participant's own vote. */
  intact: number;
  /** Phones that did not come back, or came back without their vote. */
  lost: number;
  serverCpuUs: number | null;
  serverCpuPerReconnectUs: number | null;
  generatorCpuShare: number;
  isGeneratorBound: boolean;
  firstFailure: string | null;
}

export async function runReconnectStorm(pool: ParticipantPool, server: ServerProbe, options: ReconnectStormOptions): Promise<ReconnectStormResult> {
  const members = pool.members;
  const random = createSeededRandom(options.seed);
  const delays = members.map(() => random() * options.spreadMs);
  const startedAt = new Float64Array(members.length);

  const serverCpuBefore = server.cpuTimeUs?.() ?? null;
  const generatorCpuBefore = readOwnCpuTimeUs();
  const droppedAt = performance.now();
  pool.dropAll();
  pool.syncedCount = 0;
  const timers = members.map((member, i) =>
    setTimeout(() => {
      startedAt[i] = performance.now();
      pool.connect(member);
    }, delays[i]),
  );
  const isComplete = await waitUntil(() => pool.syncedCount === members.length, options.timeoutMs + options.spreadMs);
  for (const timer of timers) clearTimeout(timer);
  const endedAt = performance.now();
  const serverCpuUs = serverCpuBefore === null || !server.cpuTimeUs ? null : server.cpuTimeUs() - serverCpuBefore;
  const generatorCpuShare = (readOwnCpuTimeUs() - generatorCpuBefore) / 1000 / (endedAt - droppedAt);

  const latencies: number[] = [];
  let intact = 0;
  let lastSyncedAt = droppedAt;
  for (const [i, member] of members.entries()) {
    const snapshot = member.snapshot;
    if (!snapshot) continue;
    latencies.push(member.syncedAt - (startedAt[i] ?? droppedAt));
    lastSyncedAt = Math.max(lastSyncedAt, member.syncedAt);
    const isRoundIntact = snapshot.round?.roundId === options.roundId && snapshot.round.status === 'open';
    if (isRoundIntact && snapshot.myChoice === options.finalChoices.get(member.participantId)) intact += 1;
  }
  return {
    participants: members.length,
    allSyncedMs: isComplete ? lastSyncedAt - droppedAt : Number.POSITIVE_INFINITY,
    syncLatencyMs: summarize(latencies),
    synced: latencies.length,
    intact,
    lost: members.length - intact,
    serverCpuUs,
    serverCpuPerReconnectUs: serverCpuUs === null ? null : serverCpuUs / members.length,
    generatorCpuShare,
    isGeneratorBound: generatorCpuShare >= GENERATOR_BOUND_SHARE,
    firstFailure: isComplete ? null : pool.firstFailure(),
  };
}
