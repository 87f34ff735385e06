/**
 * Cluster ownership: each running session is owned by exactly one node, recorded as a lease row in
 * PostgreSQL with an epoch that every commit checks (a fencing token). PostgreSQL is the only
 * authority, and its clock the only clock liveness is judged by.
 *
 * `ClusterOwnership` (cluster-ownership.ts) puts it together behind the port the room registry uses
 * (`SessionOwnership`); `createApp` starts it when DATABASE_URL is set:
 *
 * - start-up: a small pool of its own, the cluster schema, a new incarnation of the node (NODE_ID);
 * - `home` (`GET /api/sessions/:code/home`, any node): `placeSession`, the owner or the least-loaded node;
 * - loading a room: `acquire` = placed here, then `claim` (the epoch is kept for the commit check);
 * - every commit of a room: `assertOwned` in the transaction (`assertEpochs`); a LeaseLostError rolls
 *   the batch back, and the rooms of the lost sessions are dropped and their clients sent on;
 * - unhealthy (no heartbeat renewed for 3 s): every room dropped, commands refused, /healthz 503, exit;
 * - SIGTERM: `drain`, commands under way answered, rooms settled and released, clients sent on, `stop`.
 *
 * Every node must run with the same timing (`ClusterTiming`): the dead interval one node applies to
 * another is its own.
 */
export { applyClusterSchema, clusterMigrations, type ClusterMigration } from './cluster-schema.ts';
export { clusterTimingWith, DEFAULT_CLUSTER_TIMING, type ClusterTiming } from './cluster-timing.ts';
export { LeaseLostError, type LeaseLossReason } from './lease-lost-error.ts';
export { NodeMembership, type NodeMembershipOptions, type NodeStatus, type UnhealthyReason } from './node-membership.ts';
export { SessionLeases, type ClaimResult, type LeaseOwner } from './session-leases.ts';
export { ClusterOwnership, type ClusterOwnershipOptions } from './cluster-ownership.ts';
