/**
 * Which node runs a session. One node alone (SQLite, or PostgreSQL without peers) runs every session;
 * in a cluster, the ownership is a lease in PostgreSQL (server/cluster/cluster-ownership.ts) and a
 * room may be loaded only by the node that holds it.
 */
import type { SessionHome } from '../../shared/contract.ts';
import type { BeforeCommit } from '../storage/postgres/committer.ts';

/** Whether this node may run the session now: yes, or the node that does (when known). */
export type Acquired = { ok: true } | { ok: false; owner: SessionHome | undefined };

export interface SessionOwnership {
  /** This node, as `home` names it. */
  readonly self: SessionHome;
  /** Whether this node serves sessions now (false once it is unhealthy, draining or closing). */
  isServing(): boolean;
  /** The node that runs the session, the session first given to a node when none does; nothing when no node can. */
  home(sessionId: string): Promise<SessionHome | undefined>;
  /** Takes the session for this node when it is this node's to run; call it before loading its room. */
  acquire(sessionId: string): Promise<Acquired>;
  /** Hands sessions back once their rooms are dropped and their last commits settled. */
  release(sessionIds: readonly string[]): Promise<void>;
  /** Forgets a session that was deleted: nobody runs it any more. */
  forget(sessionId: string): Promise<void>;
  /** The check every commit runs in its transaction, when commits must be fenced (a cluster's). */
  readonly fenceCommit: BeforeCommit | undefined;
  /** Whether a closing node hands its rooms to other nodes (and sends their clients there) before it stops. */
  readonly handsSessionsBack: boolean;
  /** Calls the listener with sessions this node found it no longer owns. */
  onSessionsLost(listener: (sessionIds: readonly string[]) => void): void;
  /** Calls the listener once if the node stops serving on its own. */
  onUnhealthy(listener: () => void): void;
  /** The first step of closing: the health check fails and no new session is taken. */
  drain(): Promise<void>;
  /** The last step of closing, once every commit has settled: leaves the cluster, if any. */
  stop(): Promise<void>;
}

/** A node on its own: it runs every session, and stops serving only when it closes. */
export class SoloOwnership implements SessionOwnership {
  readonly fenceCommit = undefined;
  /** Its clients reconnect to it when it is back: there is nowhere else to send them. */
  readonly handsSessionsBack = false;
  private isClosing = false;

  /** `selfOf`: this node's name and address (the address is known once it listens). */
  constructor(private readonly selfOf: () => SessionHome) {}

  get self(): SessionHome {
    return this.selfOf();
  }

  isServing(): boolean {
    return !this.isClosing;
  }

  home(): Promise<SessionHome> {
    return Promise.resolve(this.self);
  }

  acquire(): Promise<Acquired> {
    return Promise.resolve({ ok: true });
  }

  release(): Promise<void> {
    return Promise.resolve();
  }

  forget(): Promise<void> {
    return Promise.resolve();
  }

  /** A lone node never loses a session. */
  onSessionsLost(): void {}

  /** A lone node has no heartbeat to lose. */
  onUnhealthy(): void {}

  drain(): Promise<void> {
    this.isClosing = true;
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }
}

/** Thrown by RoomRegistry.find for a session another node runs: the client must go there. */
export class SessionMovedError extends Error {
  constructor(
    readonly code: string,
    readonly owner: SessionHome | undefined,
  ) {
    super(owner ? `session ${code} is run by node ${owner.nodeId}` : `session ${code} is not run by this node`);
    this.name = 'SessionMovedError';
  }
}
