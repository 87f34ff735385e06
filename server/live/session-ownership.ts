/**
 * Which node runs a session. One node alone (SQLite, or PostgreSQL without peers) runs every session;
 * in a cluster, the ownership is a lease in PostgreSQL (server/cluster/cluster-ownership.ts) and a
 * room may be loaded only by the node that holds it.
 */
import type { SessionHome } from '../../shared/contract.ts';

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
}

/** A node on its own: it runs every session, and stops serving only when it closes. */
export class SoloOwnership implements SessionOwnership {
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

  /** The node is shutting down: its health check fails from now on. */
  close(): void {
    this.isClosing = true;
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
