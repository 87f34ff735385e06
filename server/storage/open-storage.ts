import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { openPostgresStorage } from './postgres/postgres-storage.ts';
import { openSqliteStorage } from './sqlite-storage.ts';
import type { Storage } from './storage.ts';

/** The storage the configuration names: PostgreSQL at DATABASE_URL when it is set, else SQLite in DATA_DIR. */
export async function openStorage(config: Pick<Config, 'dataDir' | 'databaseUrl'>, logger?: Logger): Promise<Storage> {
  if (config.databaseUrl) return openPostgresStorage({ connectionString: config.databaseUrl, ...(logger ? { logger } : {}) });
  return openSqliteStorage(config.dataDir);
}
