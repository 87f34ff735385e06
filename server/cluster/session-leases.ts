/**
 * Who owns each running session: one row per session in `session_leases`, naming the owning node
 * incarnation and an epoch (the fencing token). Every change of owner goes through one
 * compare-and-set statement that succeeds only while the current owner is released, retired or
 * dead (heartbeat older than `deadAfterMs` on the database clock), and raises the epoch. Every
 * commit checks, in its own transaction, that its sessions still carry the epoch they were loaded
 * with, holding their lease rows so no takeover can slip in before the commit ends.
 */
import type { ClientBase, Pool, PoolClient } from 'pg';
import { LeaseLostError } from './lease-lost-error.ts';
import type { NodeMembership } from './node-membership.ts';

/** The live owner of a session: where its clients go and the epoch it holds the session under. */
export interface LeaseOwner {
  nodeId: string;
  url: string;
  epoch: number;
}

/** A claim's answer: the epoch this node now owns the session under, or the live owner that kept it. */
export type ClaimResult = { ok: true; epoch: number } | { ok: false; owner: LeaseOwner | undefined };

/** Which node a compare-and-set may give the session to. */
type Target = { kind: 'this-node' } | { kind: 'least-loaded' };

interface OwnerRow {
  node_id: string;
  url: string;
  incarnation: string;
  epoch: string;
}

/** The leases as seen from one node: claims for itself, placements for anyone, and the commit check. */
export class SessionLeases {
  constructor(
    /** Coordination connections (the same small pool as the membership is fine). */
    private readonly pool: Pool,
    private readonly node: NodeMembership,
  ) {}

  /**
   * Claims the session for this node when it has no live owner (epoch + 1), or confirms this node
   * already owns it (same epoch). Of two nodes claiming at once, exactly one wins. A draining or
   * unhealthy node takes no new session. Call it before loading the session, and load only on
   * `ok`: the epoch goes with every later commit.
   */
  async claim(sessionId: string): Promise<ClaimResult> {
    if (!this.node.isHealthy()) return { ok: false, owner: await this.ownerOf(sessionId) };
    const claimed = await this.assignIfUnowned(sessionId, { kind: 'this-node' });
    if (claimed) return { ok: true, epoch: claimed.epoch };
    const current = await this.readOwner(sessionId);
    if (current && Number(current.incarnation) === this.node.incarnation) return { ok: true, epoch: Number(current.epoch) };
    return { ok: false, owner: current && toOwner(current) };
  }

  /** The session's live owner, if any (a draining owner still counts: it serves until it releases). */
  async ownerOf(sessionId: string): Promise<LeaseOwner | undefined> {
    const row = await this.readOwner(sessionId);
    return row && toOwner(row);
  }

  /**
   * The session's live owner; a session without one is first given to the least-loaded live node:
   * the fewest sessions owned (counted from the leases, so a burst of placements spreads at once),
   * then the lowest reported load, then node id. Answers nothing when no node is live.
   */
  async placeSession(sessionId: string): Promise<LeaseOwner | undefined> {
    // Two attempts: a concurrent placement or the death of a just-read owner can beat the first.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const owner = await this.ownerOf(sessionId);
      if (owner) return owner;
      const placed = await this.assignIfUnowned(sessionId, { kind: 'least-loaded' });
      if (placed) return placed;
    }
    return this.ownerOf(sessionId);
  }

  /**
   * Hands sessions this node owns back (graceful shutdown, or a room unloaded): they keep their
   * epoch with no owner, so any node may claim them at once. Call it after the sessions' last
   * commit has settled. Answers the sessions released.
   */
  async release(sessionIds: readonly string[]): Promise<string[]> {
    const { rows } = await this.pool.query<{ session_id: string }>(
      `UPDATE session_leases SET node_id = NULL, incarnation = NULL, claimed_at = now()
       WHERE session_id = ANY($1::text[]) AND incarnation = $2
       RETURNING session_id`,
      [sessionIds, this.node.incarnation],
    );
    return rows.map((row) => row.session_id).sort();
  }

  /** Deletes the lease of a session this node owns that was deleted, so no row outlives its session. */
  async forget(sessionId: string): Promise<void> {
    await this.pool.query('DELETE FROM session_leases WHERE session_id = $1 AND incarnation = $2', [sessionId, this.node.incarnation]);
  }

  /** Hands back every session this node owns, including ones placed here whose clients never came. */
  async releaseAll(): Promise<string[]> {
    const { rows } = await this.pool.query<{ session_id: string }>(
      `UPDATE session_leases SET node_id = NULL, incarnation = NULL, claimed_at = now()
       WHERE incarnation = $1
       RETURNING session_id`,
      [this.node.incarnation],
    );
    return rows.map((row) => row.session_id).sort();
  }

  /**
   * The fencing check: run it inside the commit's transaction, on the committing connection, before
   * COMMIT. It locks the sessions' lease rows (FOR SHARE: a takeover waits until this transaction
   * ends) and checks that each still names this incarnation with the epoch it was loaded with, and
   * that this incarnation is live on the database clock. Throws LeaseLostError otherwise; the
   * caller must then roll back and acknowledge nothing.
   */
  async assertEpochs(client: ClientBase, epochs: ReadonlyMap<string, number>): Promise<void> {
    const sessionIds = [...epochs.keys()].sort();
    if (sessionIds.length === 0) return;
    if (!this.node.isHealthy()) throw new LeaseLostError(sessionIds, 'node-not-live');
    const { rows } = await client.query<{ session_id: string; incarnation: string | null; epoch: string; is_node_live: boolean }>(
      `SELECT l.session_id, l.incarnation, l.epoch,
         EXISTS (
           SELECT 1 FROM nodes n
           WHERE n.incarnation = $2 AND n.status <> 'retired'
             AND n.heartbeat_at > clock_timestamp() - $3::float8 * interval '1 millisecond'
         ) AS is_node_live
       FROM session_leases l
       WHERE l.session_id = ANY($1::text[])
       ORDER BY l.session_id
       FOR SHARE OF l`,
      [sessionIds, this.node.incarnation, this.node.timing.deadAfterMs],
    );
    if (rows.length > 0 && !rows[0]!.is_node_live) throw new LeaseLostError(sessionIds, 'node-not-live');
    const held = new Map(rows.map((row) => [row.session_id, row]));
    const lost = sessionIds.filter((sessionId) => {
      const row = held.get(sessionId);
      return !row || Number(row.incarnation) !== this.node.incarnation || Number(row.epoch) !== epochs.get(sessionId);
    });
    if (lost.length > 0) throw new LeaseLostError(lost, 'epoch-changed');
  }

  private async readOwner(sessionId: string): Promise<OwnerRow | undefined> {
    const { rows } = await this.pool.query<OwnerRow>(
      `SELECT n.node_id, n.url, n.incarnation, l.epoch
       FROM session_leases l JOIN nodes n ON n.incarnation = l.incarnation
       WHERE l.session_id = $1 AND n.status <> 'retired'
         AND n.heartbeat_at > now() - $2::float8 * interval '1 millisecond'`,
      [sessionId, this.node.timing.deadAfterMs],
    );
    return rows[0];
  }

  /**
   * The one compare-and-set every change of owner goes through: gives the session to the target (a
   * live node, not draining) with epoch + 1 when the lease is new, released, or held by an
   * incarnation that is retired or dead; otherwise changes nothing and answers nothing. The upsert
   * locks the lease row, so of concurrent attempts the first to commit wins and the others, which
   * then see its live owner, do nothing.
   */
  private async assignIfUnowned(sessionId: string, target: Target): Promise<LeaseOwner | undefined> {
    const candidates =
      target.kind === 'this-node'
        ? 'WHERE n.incarnation = $3'
        : `ORDER BY (SELECT count(*) FROM session_leases held WHERE held.incarnation = n.incarnation), n.load, n.node_id
           LIMIT 1`;
    const sql = `WITH target AS (
         SELECT n.incarnation, n.node_id, n.url FROM (
           SELECT * FROM nodes
           WHERE status = 'live' AND heartbeat_at > now() - $2::float8 * interval '1 millisecond'
         ) n
         ${candidates}
       ), assigned AS (
         INSERT INTO session_leases AS l (session_id, node_id, incarnation, epoch)
         SELECT $1, target.node_id, target.incarnation, 1 FROM target
         ON CONFLICT (session_id) DO UPDATE
           SET node_id = EXCLUDED.node_id, incarnation = EXCLUDED.incarnation, epoch = l.epoch + 1, claimed_at = now()
           WHERE l.incarnation IS NULL OR NOT EXISTS (
             SELECT 1 FROM nodes owner
             WHERE owner.incarnation = l.incarnation AND owner.status <> 'retired'
               AND owner.heartbeat_at > now() - $2::float8 * interval '1 millisecond'
           )
         RETURNING l.incarnation, l.epoch
       )
       SELECT target.node_id, target.url, assigned.epoch FROM assigned JOIN target USING (incarnation)`;
    const { rows } =
      target.kind === 'this-node'
        ? await this.pool.query<Omit<OwnerRow, 'incarnation'>>(sql, [sessionId, this.node.timing.deadAfterMs, this.node.incarnation])
        : await serialized(this.pool, (client) => client.query<Omit<OwnerRow, 'incarnation'>>(sql, [sessionId, this.node.timing.deadAfterMs]));
    const row = rows[0];
    return row && { nodeId: row.node_id, url: row.url, epoch: Number(row.epoch) };
  }
}

/**
 * Placements one at a time across the cluster (a transaction-level advisory lock): each then counts
 * the leases the previous ones gave, so a burst (every session of a dead node asked for at once)
 * spreads over the nodes instead of all landing on the one that looked least loaded to each.
 */
async function serialized<T>(pool: Pool, statement: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('kotae:placement'))`);
    const result = await statement(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function toOwner(row: OwnerRow): LeaseOwner {
  return { nodeId: row.node_id, url: row.url, epoch: Number(row.epoch) };
}
