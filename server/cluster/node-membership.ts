/**
 * A node's membership in the cluster: its row in `nodes` for this incarnation (one process start),
 * renewed by a heartbeat. Other nodes judge it by the age of that heartbeat on the database clock;
 * the node judges itself by its own monotonic clock, and gives up first (unhealthy after 3 s, dead
 * to the others after 5 s), so it has stopped serving before anyone may take its sessions.
 *
 * An unhealthy or stopped incarnation is finished: it never serves again. To rejoin, start a new
 * membership (a new incarnation), or let the process exit and its supervisor restart it.
 */
import { performance } from 'node:perf_hooks';
import type { Pool } from 'pg';
import { clusterTimingWith, type ClusterTiming } from './cluster-timing.ts';

/** A node row's status: serving and open to new sessions, serving but handing off, or finished. */
export type NodeStatus = 'live' | 'draining' | 'retired';

/** Why a node stopped serving on its own. */
export type UnhealthyReason =
  /** No heartbeat was renewed within `unhealthyAfterMs` (database unreachable, process paused, …). */
  | 'heartbeat-overdue'
  /** The heartbeat found this incarnation retired (a newer start of the same node id, or an operator). */
  | 'incarnation-retired';

/** What a node needs to join the cluster. */
export interface NodeMembershipOptions {
  /** Coordination connections (a small pool of its own, so heartbeats never queue behind storage work). */
  pool: Pool;
  /** The node's stable name, also its HAProxy backend (`node=<id>`). */
  nodeId: string;
  /** Where clients reach this node, given to them with the `home` answer. */
  url: string;
  /** The load reported with each heartbeat, such as connected sockets (default 0). */
  loadOf?: () => number;
  /** Heartbeat, unhealthy and dead durations (default 1 s, 3 s, 5 s). */
  timing?: Partial<ClusterTiming>;
  /** A monotonic clock in ms for the node's own health watchdog (default performance.now). */
  monotonicNow?: () => number;
}

type Phase = 'serving' | 'unhealthy' | 'stopped';

/** The running membership of one incarnation; build it with `NodeMembership.start`. */
export class NodeMembership {
  /** The heartbeat, unhealthy and dead durations in force. */
  readonly timing: ClusterTiming;
  private phase: Phase = 'serving';
  private lastRenewedAt: number;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private watchdogTimer: NodeJS.Timeout | undefined;
  private readonly unhealthyListeners = new Set<(reason: UnhealthyReason) => void>();

  private constructor(
    private readonly options: NodeMembershipOptions,
    /** This start's incarnation: increases with every start of any node. */
    readonly incarnation: number,
    startedAt: number,
  ) {
    this.timing = clusterTimingWith(options.timing);
    this.lastRenewedAt = startedAt;
    this.scheduleHeartbeat();
    this.armWatchdog();
  }

  /**
   * Registers a new incarnation of the node, live with a fresh heartbeat, and retires every earlier
   * incarnation of the same node id in the same transaction (their leases are free at once).
   */
  static async start(options: NodeMembershipOptions): Promise<NodeMembership> {
    const now = options.monotonicNow ?? (() => performance.now());
    const client = await options.pool.connect();
    try {
      const sentAt = now();
      await client.query('BEGIN');
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('kotae:node:' || $1))`, [options.nodeId]);
      await client.query(`UPDATE nodes SET status = 'retired' WHERE node_id = $1 AND status <> 'retired'`, [options.nodeId]);
      const { rows } = await client.query<{ incarnation: string }>(
        'INSERT INTO nodes (node_id, url, load) VALUES ($1, $2, $3) RETURNING incarnation',
        [options.nodeId, options.url, options.loadOf?.() ?? 0],
      );
      await client.query('COMMIT');
      return new NodeMembership(options, Number(rows[0]!.incarnation), sentAt);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /** The node's stable name. */
  get nodeId(): string {
    return this.options.nodeId;
  }

  /** Where clients reach this node. */
  get url(): string {
    return this.options.url;
  }

  /**
   * Whether the node may serve: started, not stopped, and its heartbeat renewed within
   * `unhealthyAfterMs`. Checks the clock itself, so a late watchdog timer cannot make it lie.
   */
  isHealthy(): boolean {
    // Asked for every command: only reads the clock; the watchdog re-arms itself.
    if (this.phase === 'serving' && this.isHeartbeatOverdue()) this.becomeUnhealthy('heartbeat-overdue');
    return this.phase === 'serving';
  }

  /**
   * Calls the listener once when the node stops serving on its own: the app must then drop every
   * room (all leases count as lost), tell clients to move, and fail its health check. Answers a
   * function that removes the listener.
   */
  onUnhealthy(listener: (reason: UnhealthyReason) => void): () => void {
    this.unhealthyListeners.add(listener);
    return () => this.unhealthyListeners.delete(listener);
  }

  /** Keeps serving the sessions it owns but takes no new ones (the first step of a graceful shutdown). */
  async drain(): Promise<void> {
    await this.options.pool.query(`UPDATE nodes SET status = 'draining' WHERE incarnation = $1 AND status = 'live'`, [this.incarnation]);
  }

  /** Stops the heartbeat and retires this incarnation: every lease it still holds is free at once. */
  async stop(): Promise<void> {
    if (this.phase === 'stopped') return;
    this.phase = 'stopped';
    this.clearTimers();
    await this.retire();
  }

  private now(): number {
    return this.options.monotonicNow?.() ?? performance.now();
  }

  private scheduleHeartbeat(): void {
    this.heartbeatTimer = setTimeout(() => void this.renewHeartbeat(), this.timing.heartbeatIntervalMs);
  }

  private async renewHeartbeat(): Promise<void> {
    // A node resumed after a pause must find it is overdue before it may renew anything.
    if (!this.isHealthy()) return;
    const sentAt = this.now();
    try {
      const { rowCount } = await this.options.pool.query(
        `UPDATE nodes SET heartbeat_at = now(), load = $2 WHERE incarnation = $1 AND status <> 'retired'`,
        [this.incarnation, this.options.loadOf?.() ?? 0],
      );
      if (this.phase !== 'serving') return;
      if (rowCount === 0) {
        this.becomeUnhealthy('incarnation-retired');
        return;
      }
      // The database stamped the heartbeat no earlier than sentAt: counting from sentAt keeps the
      // node's own deadline ahead of the others' view of it.
      this.lastRenewedAt = Math.max(this.lastRenewedAt, sentAt);
      this.armWatchdog();
    } catch {
      // A failed renewal changes nothing: the watchdog decides when the node has gone too long without one.
    }
    if (this.phase === 'serving') this.scheduleHeartbeat();
  }

  private armWatchdog(): void {
    clearTimeout(this.watchdogTimer);
    const remaining = this.lastRenewedAt + this.timing.unhealthyAfterMs - this.now();
    this.watchdogTimer = setTimeout(() => this.checkHeartbeatAge(), Math.max(0, remaining));
  }

  private isHeartbeatOverdue(): boolean {
    return this.now() - this.lastRenewedAt >= this.timing.unhealthyAfterMs;
  }

  private checkHeartbeatAge(): void {
    if (this.phase !== 'serving') return;
    if (this.isHeartbeatOverdue()) this.becomeUnhealthy('heartbeat-overdue');
    else this.armWatchdog();
  }

  private becomeUnhealthy(reason: UnhealthyReason): void {
    this.phase = 'unhealthy';
    this.clearTimers();
    // Best effort: retiring frees the leases at once; if the database is unreachable, the row
    // goes dead by age instead.
    void this.retire().catch(() => {});
    for (const listener of this.unhealthyListeners) queueMicrotask(() => listener(reason));
  }

  private async retire(): Promise<void> {
    await this.options.pool.query(`UPDATE nodes SET status = 'retired' WHERE incarnation = $1`, [this.incarnation]);
  }

  private clearTimers(): void {
    clearTimeout(this.heartbeatTimer);
    clearTimeout(this.watchdogTimer);
  }
}
