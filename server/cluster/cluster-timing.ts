/**
 * The three durations that make ownership safe, and the rule that ties them: a node gives up
 * (stops serving, considers its leases lost) before anyone else may consider it dead.
 */

/** How often a node renews its heartbeat, and when a node or its peers give up on it, in ms. */
export interface ClusterTiming {
  /** How often a node writes its heartbeat (default 1,000 ms). */
  heartbeatIntervalMs: number;
  /**
   * How long a node may go without a renewed heartbeat before it stops serving and considers its
   * leases lost (default 3,000 ms), measured on its own monotonic clock from when the last
   * successful heartbeat was sent.
   */
  unhealthyAfterMs: number;
  /**
   * How old a node's heartbeat must be, on the database clock, before other nodes consider it dead
   * and may take over its sessions (default 5,000 ms).
   */
  deadAfterMs: number;
}

/** The production timing: heartbeat every second, unhealthy after 3 s, dead after 5 s. */
export const DEFAULT_CLUSTER_TIMING: ClusterTiming = {
  heartbeatIntervalMs: 1_000,
  unhealthyAfterMs: 3_000,
  deadAfterMs: 5_000,
};

/** The default timing with some durations replaced; throws when they break the ordering rule. */
export function clusterTimingWith(overrides: Partial<ClusterTiming> = {}): ClusterTiming {
  const timing = { ...DEFAULT_CLUSTER_TIMING, ...overrides };
  const { heartbeatIntervalMs, unhealthyAfterMs, deadAfterMs } = timing;
  if (!(heartbeatIntervalMs > 0 && heartbeatIntervalMs < unhealthyAfterMs && unhealthyAfterMs < deadAfterMs)) {
    throw new RangeError(
      `cluster timing needs 0 < heartbeat (${heartbeatIntervalMs} ms) < unhealthy (${unhealthyAfterMs} ms) < dead (${deadAfterMs} ms)`,
    );
  }
  return timing;
}
