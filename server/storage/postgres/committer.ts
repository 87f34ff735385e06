import pg from 'pg';
import type { Logger } from '../../logger.ts';
import type { StorageChange } from '../storage-change.ts';
import type { BatchCommitter } from '../write-batcher.ts';
import { applyPostgresChanges, type PostgresRepositories } from './apply-change.ts';
import { pgTypes } from './database.ts';

/**
 * Runs inside a batch's transaction, on its connection, after BEGIN and before the batch's changes:
 * a check that must hold in the same transaction as the writes (the cluster's lease epochs, say).
 * `sessionIds` are the running sessions the batch writes for. Throwing rolls the whole batch back
 * and rejects every commit in it, so none is acknowledged.
 */
export type BeforeCommit = (client: pg.ClientBase, changes: readonly StorageChange[], sessionIds: ReadonlySet<string>) => Promise<void>;

export interface PostgresCommitterOptions {
  connectionString: string;
  repositories: PostgresRepositories;
  logger: Logger;
  beforeCommit?: BeforeCommit | undefined;
}

/**
 * Commits each batch as one transaction on one dedicated connection (the write batcher sends one batch
 * at a time, so what is queued meanwhile goes into the next transaction). A batch resolves once COMMIT
 * has returned: with synchronous_commit on, the transaction is in the write-ahead log on disk. A
 * connection that breaks is dropped and a new one is made for the next batch.
 */
export class PostgresCommitter implements BatchCommitter {
  private connection: Promise<pg.Client> | null = null;

  constructor(private readonly options: PostgresCommitterOptions) {}

  async commitBatch(changes: readonly StorageChange[], sessionIds: ReadonlySet<string>): Promise<void> {
    const client = await this.connect();
    try {
      await client.query('BEGIN');
      await this.options.beforeCommit?.(client, changes, sessionIds);
      await applyPostgresChanges(client, this.options.repositories, changes);
      await client.query('COMMIT');
    } catch (error) {
      // A failed COMMIT may or may not have committed: the rooms reload from the database either way.
      await client.query('ROLLBACK').catch(() => this.drop(client));
      throw error;
    }
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    if (connection) await connection.then((client) => client.end()).catch(() => undefined);
  }

  private connect(): Promise<pg.Client> {
    this.connection ??= this.open().catch((error: unknown) => {
      this.connection = null;
      throw error;
    });
    return this.connection;
  }

  private async open(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.options.connectionString, types: pgTypes, application_name: 'kotae-committer' });
    client.on('error', (error) => {
      this.options.logger.error({ err: error }, 'the PostgreSQL commit connection failed; the next batch opens a new one');
      this.drop(client);
    });
    await client.connect();
    // Durable on COMMIT whatever the server's default: a vote is acknowledged only after it.
    await client.query('SET synchronous_commit TO on');
    return client;
  }

  private drop(client: pg.Client): void {
    void this.connection?.then(
      (current) => {
        if (current !== client) return;
        this.connection = null;
        client.end().catch(() => undefined);
      },
      () => undefined,
    );
  }
}
