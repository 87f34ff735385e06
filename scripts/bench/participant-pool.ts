/**
 * N simulated phones of one session: joined through the real REST endpoint, connected over Socket.IO,
 * each remembering when it last heard of a round and what snapshot it was last synced with.
 */
import type { Joined, ParticipantSnapshot } from '../../shared/contract.ts';
import { connectParticipant, type ClientKind, type ParticipantConnection, type RoundHeadline } from './clients.ts';
import { mapWithConcurrency, waitUntil } from './stats.ts';
import type { ExtraQuery } from './wire-client.ts';

/** REST joins in flight at once. */
const JOIN_CONCURRENCY = 50;
/** WebSocket handshakes in flight at once while the room fills up. */
const CONNECT_CONCURRENCY = 200;
const JOIN_TIMEOUT_MS = 15_000;

export interface PoolMember {
  index: number;
  participantId: string;
  token: string;
  connection: ParticipantConnection | null;
  /** performance.now() of the last `participant:synced`, and its snapshot. */
  syncedAt: number;
  snapshot: ParticipantSnapshot | null;
  /** performance.now() of the last `round:changed`, and the round it announced. */
  roundAt: number;
  round: RoundHeadline | null;
  failure: string | null;
}

/** Posts one join; the body is what a phone sends. */
export async function joinOverRest(baseUrl: string, code: string, nickname: string, query: ExtraQuery = {}): Promise<Joined> {
  const search = new URLSearchParams(query).toString();
  const response = await fetch(`${baseUrl}/api/sessions/${code}/participants${search ? `?${search}` : ''}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ nickname }),
    signal: AbortSignal.timeout(JOIN_TIMEOUT_MS),
  });
  const json = (await response.json()) as { ok: true; data: Joined } | { ok: false; error: { message: string } };
  if (!json.ok) throw new Error(`join refused: ${json.error.message}`);
  return json.data;
}

export class ParticipantPool {
  readonly members: PoolMember[] = [];
  /** How many members got a snapshot since the last connectAll / reconnectAll began. */
  syncedCount = 0;
  /** How many members heard of `awaitedRoundId` since it was set. */
  roundReceivedCount = 0;
  private awaitedRoundId: string | null = null;

  constructor(
    readonly kind: ClientKind,
    readonly baseUrl: string,
    readonly code: string,
    /** Sent with every join and connection, e.g. `{ node: 'kotae-2' }` behind a router. */
    readonly query: ExtraQuery = {},
  ) {}

  /** Joins `count` participants over REST; resolves with the wall time it took, in ms. */
  async join(count: number): Promise<number> {
    const startedAt = performance.now();
    const first = this.members.length;
    const joined = await mapWithConcurrency(count, JOIN_CONCURRENCY, (i) => joinOverRest(this.baseUrl, this.code, `bench-${first + i}`, this.query));
    for (const [i, participant] of joined.entries()) {
      this.members.push({
        index: first + i,
        participantId: participant.participantId,
        token: participant.token,
        connection: null,
        syncedAt: 0,
        snapshot: null,
        roundAt: 0,
        round: null,
        failure: null,
      });
    }
    return performance.now() - startedAt;
  }

  /** Connects every member with bounded concurrency; resolves with the wall time until all were synced, in ms. */
  async connectAll(timeoutMs: number): Promise<number> {
    const startedAt = performance.now();
    this.syncedCount = 0;
    await mapWithConcurrency(this.members.length, CONNECT_CONCURRENCY, async (i) => {
      const member = this.members[i];
      if (!member) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.connect(member, () => {
          clearTimeout(timer);
          resolve();
        });
      });
    });
    const isComplete = await waitUntil(() => this.syncedCount === this.members.length, timeoutMs);
    if (!isComplete) throw new Error(`only ${this.syncedCount} of ${this.members.length} participants connected: ${this.firstFailure()}`);
    return performance.now() - startedAt;
  }

  /** Opens one member's connection; `onSettled` runs once it is synced or has failed. */
  connect(member: PoolMember, onSettled: () => void = () => {}): void {
    member.snapshot = null;
    member.failure = null;
    member.connection = connectParticipant(
      this.kind,
      this.baseUrl,
      { code: this.code, token: member.token },
      {
        synced: (snapshot) => {
          member.syncedAt = performance.now();
          member.snapshot = snapshot;
          this.syncedCount += 1;
          onSettled();
        },
        roundChanged: (round) => {
          member.roundAt = performance.now();
          member.round = round;
          if (round && round.roundId === this.awaitedRoundId && round.status === 'open') this.roundReceivedCount += 1;
        },
        failed: (reason) => {
          member.failure = reason;
          onSettled();
        },
      },
      this.query,
    );
  }

  /** Starts counting the members that hear `roundId` opened (see roundReceivedCount). */
  awaitRound(roundId: string): void {
    this.awaitedRoundId = roundId;
    this.roundReceivedCount = this.members.filter((member) => member.round?.roundId === roundId && member.round.status === 'open').length;
  }

  /** Drops every connection abruptly. */
  dropAll(): void {
    for (const member of this.members) {
      member.connection?.drop();
      member.connection = null;
    }
  }

  closeAll(): void {
    this.dropAll();
  }

  firstFailure(): string {
    return this.members.find((member) => member.failure)?.failure ?? 'no failure reported';
  }
}
