import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { BeforeCommit } from './postgres/committer.ts';
import { openPostgresStorage } from './postgres/postgres-storage.ts';
import { openSqliteStorage } from './sqlite-storage.ts';
import type { Storage } from './storage.ts';

export interface OpenStorageOptions {
  logger?: Logger | undefined;
  /** PostgreSQL only: the cluster's ownership check, in every commit's transaction. */
  beforeCommit?: BeforeCommit | undefined;
}

/** The storage the configuration names: PostgreSQL at DATABASE_URL when it is set, else SQLite in DATA_DIR. */
export async function openStorage(config: Pick<Config, 'dataDir' | 'databaseUrl'>, options: OpenStorageOptions = {}): Promise<Storage> {
  if (config.databaseUrl) {
    return openPostgresStorage({
      connectionString: config.databaseUrl,
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.beforeCommit ? { beforeCommit: options.beforeCommit } : {}),
    });
  }
  return openSqliteStorage(config.dataDir);
}
