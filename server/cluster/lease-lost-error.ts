/** Why a commit's ownership check failed. */
export type LeaseLossReason =
  /** Another node claimed the sessions (their epoch moved on), or they were released. */
  | 'epoch-changed'
  /** This node is unhealthy, stopped or retired: every lease it held counts as lost. */
  | 'node-not-live';

/**
 * Thrown by `assertEpochs` inside a commit's transaction when this node no longer owns some of the
 * sessions it is writing for. The caller rolls back, acknowledges nothing of the batch, drops the
 * rooms of `sessionIds` and tells their clients to move (re-ask `home`).
 */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';

  constructor(
    /** The sessions this node may no longer write for, sorted. */
    readonly sessionIds: readonly string[],
    readonly reason: LeaseLossReason,
  ) {
    super(`lease lost (${reason}) for ${sessionIds.length} session(s): ${sessionIds.slice(0, 5).join(', ')}${sessionIds.length > 5 ? ', …' : ''}`);
  }
}
