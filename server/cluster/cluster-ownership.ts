/**
 * The session ownership of a node in a cluster: its membership (heartbeat) and the session leases,
 * behind the port the room registry uses, plus the commit check that fences its writes.
 */
import pg from 'pg';
import type { SessionHome } from '../../shared/contract.ts';
import type { Logger } from '../logger.ts';
import type { Acquired, SessionOwnership } from '../live/session-ownership.ts';
import type { BeforeCommit } from '../storage/postgres/committer.ts';
import { applyClusterSchema } from './cluster-schema.ts';
import type { ClusterTiming } from './cluster-timing.ts';
import { LeaseLostError } from './lease-lost-error.ts';
import { NodeMembership, type UnhealthyReason } from './node-membership.ts';
import { SessionLeases, type LeaseOwner } from './session-leases.ts';

export interface ClusterOwnershipOptions {
  databaseUrl: string;
  nodeId: string;
  /** Where clients reach this node directly. */
  url: string;
  /** The load reported with each heartbeat: connected sockets. */
  loadOf: () => number;
  logger: Logger;
  timing?: Partial<ClusterTiming>;
}

/** An epoch no lease ever has: a session this node holds no epoch for fails the commit check. */
const NO_EPOCH = -1;

export class ClusterOwnership implements SessionOwnership {
  readonly handsSessionsBack = true;
  /** The epoch each session was acquired under: every later commit for it must still find it. */
  private readonly epochs = new Map<string, number>();
  private readonly lostListeners = new Set<(sessionIds: readonly string[]) => void>();
  private isDraining = false;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly node: NodeMembership,
    private readonly leases: SessionLeases,
    private readonly logger: Logger,
  ) {}

  /** Creates the cluster tables when missing and joins the cluster as a new incarnation of the node. */
  static async start(options: ClusterOwnershipOptions): Promise<ClusterOwnership> {
    // Its own small pool: heartbeats must never queue behind the storage's reads or commits.
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 3, application_name: 'kotae-cluster' });
    pool.on('error', (error) => options.logger.error({ err: error }, 'an idle PostgreSQL cluster connection failed'));
    try {
      await applyClusterSchema(pool);
      const node = await NodeMembership.start({ pool, nodeId: options.nodeId, url: options.url, loadOf: options.loadOf, ...(options.timing ? { timing: options.timing } : {}) });
      options.logger.info({ node: options.nodeId, incarnation: node.incarnation }, 'joined the cluster');
      return new ClusterOwnership(pool, node, new SessionLeases(pool, node), options.logger);
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
  }

  get self(): SessionHome {
    return { nodeId: this.node.nodeId, url: this.node.url };
  }

  isServing(): boolean {
    return !this.isDraining && this.node.isHealthy();
  }

  async home(sessionId: string): Promise<SessionHome | undefined> {
    const owner = await this.leases.placeSession(sessionId);
    return owner && homeOf(owner);
  }

  /**
   * The session is this node's when it already owns it, or when it has no live owner and the
   * least-loaded live node is this one: then it is claimed with a new epoch.
   */
  async acquire(sessionId: string): Promise<Acquired> {
    if (!this.isServing()) return { ok: false, owner: await this.ownerOf(sessionId) };
    const placed = await this.leases.placeSession(sessionId);
    if (!placed || placed.nodeId !== this.node.nodeId) return { ok: false, owner: placed && homeOf(placed) };
    const claimed = await this.leases.claim(sessionId);
    if (!claimed.ok) return { ok: false, owner: claimed.owner && homeOf(claimed.owner) };
    this.epochs.set(sessionId, claimed.epoch);
    return { ok: true };
  }

  async release(sessionIds: readonly string[]): Promise<void> {
    for (const sessionId of sessionIds) this.epochs.delete(sessionId);
    await this.leases.release(sessionIds);
  }

  async forget(sessionId: string): Promise<void> {
    this.epochs.delete(sessionId);
    await this.leases.forget(sessionId);
  }

  /**
   * The fencing check, in a commit's transaction: every session written for must still be this
   * node's under the epoch it was acquired with. On failure the sessions are reported lost (their
   * rooms are dropped) and the error rolls the batch back.
   */
  readonly fenceCommit: BeforeCommit = (client, _changes, sessionIds) => this.assertOwned(client, sessionIds);

  private async assertOwned(client: pg.ClientBase, sessionIds: ReadonlySet<string>): Promise<void> {
    try {
      await this.leases.assertEpochs(client, new Map([...sessionIds].map((sessionId) => [sessionId, this.epochs.get(sessionId) ?? NO_EPOCH])));
    } catch (error) {
      if (error instanceof LeaseLostError) this.lose(error.sessionIds, error.reason);
      throw error;
    }
  }

  onSessionsLost(listener: (sessionIds: readonly string[]) => void): void {
    this.lostListeners.add(listener);
  }

  /** The listener is called once if the heartbeat could not be renewed in time. */
  onUnhealthy(listener: () => void): void {
    this.node.onUnhealthy((reason: UnhealthyReason) => {
      this.logger.error({ reason, node: this.node.nodeId }, 'this node stopped serving: its heartbeat could not be renewed in time');
      this.epochs.clear();
      listener();
    });
  }

  /** The first step of a graceful shutdown: serve what it owns, take nothing new, fail the health check. */
  async drain(): Promise<void> {
    this.isDraining = true;
    await this.node.drain();
  }

  /** Hands every session back and leaves the cluster; call it after the last commit has settled. */
  async stop(): Promise<void> {
    try {
      const released = await this.leases.releaseAll();
      this.logger.info({ sessions: released.length }, 'sessions handed back');
    } finally {
      this.epochs.clear();
      await this.node.stop().catch((error: unknown) => this.logger.error({ err: error }, 'leaving the cluster failed; the node row expires instead'));
      await this.pool.end();
    }
  }

  private async ownerOf(sessionId: string): Promise<SessionHome | undefined> {
    const owner = await this.leases.ownerOf(sessionId);
    return owner && owner.nodeId !== this.node.nodeId ? homeOf(owner) : undefined;
  }

  private lose(sessionIds: readonly string[], reason: string): void {
    for (const sessionId of sessionIds) this.epochs.delete(sessionId);
    this.logger.warn({ sessions: sessionIds.length, reason }, 'sessions lost to another node: their rooms are dropped');
    for (const listener of this.lostListeners) queueMicrotask(() => listener(sessionIds));
  }
}

function homeOf(owner: LeaseOwner): SessionHome {
  return { nodeId: owner.nodeId, url: owner.url };
}
