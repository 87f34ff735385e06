/**
 * PostgreSQL for the bench: a fresh database per server (created on the PG_BENCH_URL server, dropped
 * afterwards), and the CPU time of the PostgreSQL processes when they run on this machine.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { readProcessCpuTimeUs } from './server-process.ts';

/** A server where the bench may create databases (default: the local PostgreSQL 15, trust auth). */
export const PG_BENCH_URL = process.env.PG_BENCH_URL ?? 'postgres://root@127.0.0.1:5432/postgres';

/** A database of the bench's own. */
export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function withAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_BENCH_URL, application_name: 'kotae-bench' });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`the PostgreSQL runs need a server at PG_BENCH_URL=${PG_BENCH_URL}: ${String(error)}`);
  }
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database named <prefix>_<random>. */
export async function createBenchDatabase(prefix = 'kotae_bench'): Promise<BenchDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(PG_BENCH_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** The parent process id of a process, from /proc/<pid>/stat. */
function parentOf(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/**
 * The postmaster's pid when PostgreSQL runs on this machine and /proc shows it (the parent of the
 * backend serving a connection); null otherwise.
 */
export async function findPostmasterPid(url: string): Promise<number | null> {
  const client = new pg.Client({ connectionString: url, application_name: 'kotae-bench' });
  await client.connect();
  try {
    const backend = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    return backend === undefined ? null : parentOf(backend);
  } finally {
    await client.end();
  }
}

/**
 * User + system CPU time of the postmaster and every process it started (backends, WAL writer,
 * checkpointer), in microseconds. A backend that exited in between takes its time with it, and
 * other databases' work on the same server counts too: the bench holds the machine to itself.
 */
export function readPostgresCpuTimeUs(postmasterPid: number): number {
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || (pid !== postmasterPid && parentOf(pid) !== postmasterPid)) continue;
    try {
      total += readProcessCpuTimeUs(pid);
    } catch {
      // It exited between the listing and the read.
    }
  }
  return total;
}
