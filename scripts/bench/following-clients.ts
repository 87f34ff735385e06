/**
 * Phones and a projector that follow their session's owner the way the pages do: a real
 * socket.io-client socket kept on the owner by client/lib/session-home.ts (ask `home`, connect with
 * `node=`, follow `session:moved` and moved refusals, re-ask `home` while disconnected). For the
 * failover scenario, where what is measured is how fast they find the new owner.
 */
import { io } from 'socket.io-client';
import { followOwner, SessionRoute } from '../../client/lib/session-home.ts';
import type { ParticipantSnapshot, PresenterRoundView, Tally } from '../../shared/contract.ts';
import type { ClientSocket } from './clients.ts';

/** Socket.IO settings of the pages (client/lib/socket.ts), WebSocket only. */
function followingSocket(baseUrl: string, auth: object): ClientSocket {
  return io(baseUrl, { auth, transports: ['websocket'], autoConnect: false, forceNew: true, reconnectionDelayMax: 3000 });
}

/** A phone's vote, from the tap to the acknowledgement. */
export interface PhoneVote {
  voteId: string;
  choice: string;
  /** performance.now() of the tap, of the first send (null: not yet connected), of the acknowledgement. */
  tappedAt: number;
  sentAt: number | null;
  ackedAt: number | null;
  /** Times it was sent: more than once when an acknowledgement never came (the connection dropped) or a send was refused. */
  sends: number;
  refusals: number;
}

export class FollowingPhone {
  readonly route: SessionRoute;
  readonly socket: ClientSocket;
  /** Every `participant:synced`: when, and the node the route named then. */
  readonly syncs: Array<{ at: number; nodeId: string | undefined; snapshot: ParticipantSnapshot }> = [];
  vote: PhoneVote | null = null;
  private roundId: string | null = null;
  private isAwaitingAck = false;

  constructor(
    baseUrl: string,
    code: string,
    token: string,
    private readonly ackTimeoutMs: number,
  ) {
    this.route = new SessionRoute(code, { baseUrl });
    this.socket = followingSocket(baseUrl, { role: 'participant', code, token });
    this.socket.on('participant:synced', (snapshot) => {
      this.syncs.push({ at: performance.now(), nodeId: this.route.nodeId, snapshot });
      if (snapshot.round?.status === 'open') this.roundId = snapshot.round.roundId;
      // Back with the owner: a vote tapped meanwhile, or one whose acknowledgement never came, goes now
      // with the same id: the server records it once however often it arrives.
      if (this.vote && this.vote.ackedAt === null && !this.isAwaitingAck) this.send();
    });
    this.socket.on('round:changed', (round) => {
      if (round?.status === 'open') this.roundId = round.roundId;
    });
    this.socket.on('disconnect', () => {
      this.isAwaitingAck = false;
    });
    followOwner(this.socket, this.route);
  }

  get isSynced(): boolean {
    return this.socket.connected && this.syncs.length > 0;
  }

  /** Whether the phone has heard of `roundId` as open. */
  hasRound(roundId: string): boolean {
    return this.roundId === roundId;
  }

  /** Taps `choice` now: sent at once when connected, else once the phone is synced again. */
  tap(voteId: string, choice: string): void {
    this.vote = { voteId, choice, tappedAt: performance.now(), sentAt: null, ackedAt: null, sends: 0, refusals: 0 };
    if (this.socket.connected) this.send();
  }

  close(): void {
    this.socket.disconnect();
  }

  private send(): void {
    const vote = this.vote;
    const roundId = this.roundId;
    if (!vote || !roundId) return;
    vote.sentAt ??= performance.now();
    vote.sends += 1;
    this.isAwaitingAck = true;
    this.socket.timeout(this.ackTimeoutMs).emit('vote:cast', { roundId, choice: vote.choice, voteId: vote.voteId }, (error: Error | null, ack) => {
      this.isAwaitingAck = false;
      if (error) return;
      if (ack.ok) vote.ackedAt ??= performance.now();
      else vote.refusals += 1;
    });
  }
}

/** The projector, following the owner too: opens the round and keeps the latest tally. */
export class FollowingPresenter {
  readonly route: SessionRoute;
  readonly socket: ClientSocket;
  latestTally: Tally | null = null;
  /** performance.now() of every `presenter:synced`. */
  readonly syncs: number[] = [];

  constructor(baseUrl: string, code: string, key: string) {
    this.route = new SessionRoute(code, { baseUrl });
    this.socket = followingSocket(baseUrl, { role: 'presenter', code, key });
    this.socket.on('presenter:synced', (snapshot) => {
      this.syncs.push(performance.now());
      if (snapshot.round) this.latestTally = snapshot.round.tally;
    });
    this.socket.on('tally:changed', (tally) => {
      this.latestTally = tally;
    });
    followOwner(this.socket, this.route);
  }

  async openPoll(questionId: string, timeoutMs: number): Promise<PresenterRoundView> {
    const ack = await this.socket.timeout(timeoutMs).emitWithAck('poll:open', { questionId });
    if (!ack.ok) throw new Error(`poll:open refused: ${ack.error.message}`);
    return ack.data;
  }

  close(): void {
    this.socket.disconnect();
  }
}
