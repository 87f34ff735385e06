/**
 * Cluster ownership: each running session is owned by exactly one node, recorded as a lease row in
 * PostgreSQL with an epoch that every commit checks (a fencing token). PostgreSQL is the only
 * authority, and its clock the only clock liveness is judged by.
 *
 * Start-up (one small `pg.Pool` for coordination, apart from the storage committer's connection):
 *
 *     await applyClusterSchema(pool);
 *     const node = await NodeMembership.start({ pool, nodeId, url, loadOf: () => socketCount() });
 *     const leases = new SessionLeases(pool, node);
 *     node.onUnhealthy(() => { drop every room, tell its clients to move, fail /healthz, exit });
 *
 * Serving: `leases.placeSession(id)` answers `GET /api/sessions/:code/home` on any node;
 * `leases.claim(id)` before loading a room (load only on `ok`, keep the epoch with the room);
 * `leases.assertEpochs(client, epochs)` inside every commit transaction, before COMMIT, with the
 * epochs of the sessions the batch writes for; on `LeaseLostError` roll back, acknowledge nothing,
 * drop those rooms and tell their clients to move.
 *
 * Shutdown (SIGTERM): `node.drain()`, flush the committer, `leases.releaseAll()`, tell clients to
 * move, then `node.stop()`.
 *
 * Every node must run with the same timing (`ClusterTiming`): the dead interval one node applies to
 * another is its own.
 */
export { applyClusterSchema, clusterMigrations, type ClusterMigration } from './cluster-schema.ts';
export { clusterTimingWith, DEFAULT_CLUSTER_TIMING, type ClusterTiming } from './cluster-timing.ts';
export { LeaseLostError, type LeaseLossReason } from './lease-lost-error.ts';
export { NodeMembership, type NodeMembershipOptions, type NodeStatus, type UnhealthyReason } from './node-membership.ts';
export { SessionLeases, type ClaimResult, type LeaseOwner } from './session-leases.ts';
