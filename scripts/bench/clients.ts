/**
 * The simulated phones and the simulated projector. A participant connects either through the
 * lightweight wire client (for large N) or through the real socket.io-client (the fidelity runs).
 */
import { io, type Socket } from 'socket.io-client';
import type { Ack, ParticipantRoundView, ParticipantSnapshot, PresenterRoundView, ServerToClientEvents, Tally } from '../../shared/contract.ts';
import type { CommandPayload } from '../../shared/protocol.ts';
import type { ClientToServerEvents } from '../../shared/protocol.ts';
import { WireClient, type ExtraQuery } from './wire-client.ts';

/** Which client library plays the phones. */
export type ClientKind = 'wire' | 'socket.io-client';

export type VoteAck = Ack<{ roundId: string; choice: string }>;

/** The part of a pushed round the bench looks at. */
export type RoundHeadline = Pick<ParticipantRoundView, 'roundId' | 'status'>;

/** What a phone hears from the server. */
export interface ParticipantListener {
  synced(snapshot: ParticipantSnapshot): void;
  roundChanged(round: RoundHeadline | null): void;
  /** The handshake was refused or the connection failed before or after it. */
  failed(reason: string): void;
}

/** One phone's live connection. */
export interface ParticipantConnection {
  castVote(payload: CommandPayload<'vote:cast'>, onAck: (ack: VoteAck) => void): void;
  /** Drops the connection abruptly, as when a phone loses its network. */
  drop(): void;
}

export interface ParticipantCredentials {
  code: string;
  token: string;
}

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

function socketIoClient(baseUrl: string, auth: object, query: ExtraQuery = {}): ClientSocket {
  return io(baseUrl, { auth, query, transports: ['websocket'], forceNew: true, reconnection: false });
}

/**
 * Reads a round's id and status without parsing its texts. Keys appear literally only as keys: quotes
 * inside JSON strings are escaped.
 */
export function roundHeadlineOf(roundJson: string): RoundHeadline | null {
  const roundId = /"roundId":"([^"]*)"/.exec(roundJson)?.[1];
  const status = /"status":"([^"]*)"/.exec(roundJson)?.[1] as RoundHeadline['status'] | undefined;
  return roundId && status ? { roundId, status } : null;
}

/**
 * Opens a participant connection; readiness is the `participant:synced` snapshot given to the listener.
 * `query` goes with the connection's requests (the node a router should take it to).
 */
export function connectParticipant(
  kind: ClientKind,
  baseUrl: string,
  credentials: ParticipantCredentials,
  listener: ParticipantListener,
  query: ExtraQuery = {},
): ParticipantConnection {
  const auth = { role: 'participant', code: credentials.code, token: credentials.token };
  if (kind === 'wire') {
    const client = new WireClient(baseUrl, auth, {
      onEvent(event, payloadJson) {
        if (event === 'round:changed') listener.roundChanged(roundHeadlineOf(payloadJson));
        else if (event === 'participant:synced') listener.synced(JSON.parse(payloadJson) as ParticipantSnapshot);
      },
      onClosed: (reason) => listener.failed(reason),
    }, query);
    return {
      castVote: (payload, onAck) => client.emitWithAck('vote:cast', payload, (response) => onAck(response as VoteAck)),
      drop: () => client.terminate(),
    };
  }
  const socket = socketIoClient(baseUrl, auth, query);
  let isDropped = false;
  socket.on('participant:synced', (snapshot) => listener.synced(snapshot));
  socket.on('round:changed', (round) => listener.roundChanged(round));
  socket.on('connect_error', (error) => listener.failed(`refused: ${error.message}`));
  socket.on('disconnect', (reason) => {
    if (!isDropped) listener.failed(`disconnected: ${reason}`);
  });
  return {
    castVote: (payload, onAck) => socket.emit('vote:cast', payload, onAck),
    drop() {
      isDropped = true;
      // Closing the Engine.IO transport without a Socket.IO disconnect packet, like a lost network.
      socket.io.engine?.close();
      socket.disconnect();
    },
  };
}

/** A presenter connection (projector or console), resolved once its first snapshot arrived. */
export async function connectPresenterSocket(baseUrl: string, code: string, key: string, timeoutMs: number, query: ExtraQuery = {}): Promise<ClientSocket> {
  const socket = socketIoClient(baseUrl, { role: 'presenter', code, key }, query);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the presenter did not connect')), timeoutMs);
    socket.once('presenter:synced', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  return socket;
}

/** A tally as the projector received it. */
export interface ReceivedTally {
  at: number;
  tally: Tally;
}

/** The projector: opens rounds and keeps every tally it is sent. */
export class PresenterClient {
  /** The latest tally received, with its arrival time (performance.now()). */
  latestTally: ReceivedTally | null = null;
  private readonly tallyWaiters = new Set<() => void>();

  private constructor(private readonly socket: ClientSocket) {
    socket.on('tally:changed', (tally) => {
      this.latestTally = { at: performance.now(), tally };
      for (const wake of this.tallyWaiters) wake();
    });
  }

  static async connect(baseUrl: string, code: string, key: string, timeoutMs = 10_000, query: ExtraQuery = {}): Promise<PresenterClient> {
    return new PresenterClient(await connectPresenterSocket(baseUrl, code, key, timeoutMs, query));
  }

  async openPoll(questionId: string, timeoutMs = 10_000): Promise<PresenterRoundView> {
    const ack = await this.socket.timeout(timeoutMs).emitWithAck('poll:open', { questionId });
    if (!ack.ok) throw new Error(`poll:open refused: ${ack.error.message}`);
    return ack.data;
  }

  /** Resolves with the latest tally once it passes `accept`, or null after `timeoutMs`. */
  waitForTally(accept: (tally: Tally) => boolean, timeoutMs: number): Promise<ReceivedTally | null> {
    return new Promise((resolve) => {
      const check = (): void => {
        const latest = this.latestTally;
        if (!latest || !accept(latest.tally)) return;
        finish(latest);
      };
      const finish = (result: ReceivedTally | null): void => {
        clearTimeout(timer);
        this.tallyWaiters.delete(check);
        resolve(result);
      };
      const timer = setTimeout(() => finish(null), timeoutMs);
      this.tallyWaiters.add(check);
      check();
    });
  }

  close(): void {
    this.socket.disconnect();
  }
}
