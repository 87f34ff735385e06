import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { SoloOwnership, type SessionOwnership } from '../live/session-ownership.ts';
import { ClusterOwnership } from './cluster-ownership.ts';

export interface OwnershipOptions {
  /** Where clients reach this node directly (known once it listens). */
  url: () => string;
  /** The load reported with each heartbeat: connected sockets. */
  loadOf: () => number;
  logger: Logger;
}

/**
 * The node's session ownership the configuration calls for: with PostgreSQL (DATABASE_URL) the node
 * joins the cluster and runs only the sessions it holds the lease of; without it, it runs them all.
 */
export async function openOwnership(config: Pick<Config, 'databaseUrl' | 'nodeId' | 'nodeUrl'>, options: OwnershipOptions): Promise<SessionOwnership> {
  if (!config.databaseUrl) return new SoloOwnership(() => ({ nodeId: config.nodeId, url: config.nodeUrl ?? options.url() }));
  return ClusterOwnership.start({ databaseUrl: config.databaseUrl, nodeId: config.nodeId, url: config.nodeUrl ?? options.url(), loadOf: options.loadOf, logger: options.logger });
}
