/**
 * A PostgreSQL database of one's own, created empty on a server where the user may create databases
 * and dropped afterwards (even with connections still open): the tests' and the bench's.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface ThrowawayDatabase {
  name: string;
  /** The server's URL with this database's name. */
  url: string;
  drop(): Promise<void>;
}

/** Runs `run` on a connection to the server; `whoNeedsIt` says in the error who needs the server when it is unreachable. */
async function withServer<T>(serverUrl: string, whoNeedsIt: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl, application_name: 'kotae-throwaway' });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`${whoNeedsIt} need PostgreSQL, which is not reachable at ${serverUrl}: ${String(error)}`);
  }
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database named <prefix>_<random> on the server at `serverUrl`. */
export async function createThrowawayDatabase(serverUrl: string, prefix: string, whoNeedsIt: string): Promise<ThrowawayDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withServer(serverUrl, whoNeedsIt, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => withServer(serverUrl, whoNeedsIt, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
