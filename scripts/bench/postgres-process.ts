/**
 * PostgreSQL for the bench: a fresh database per server (created on the PG_BENCH_URL server, dropped
 * afterwards), and the CPU time of the PostgreSQL processes when they run on this machine.
 */
import fs from 'node:fs';
import pg from 'pg';
import { CLOCK_TICKS_PER_SECOND } from './server-process.ts';
import { createThrowawayDatabase, type ThrowawayDatabase } from './throwaway-database.ts';

/** A server where the bench may create databases (default: the local PostgreSQL 15, trust auth). */
export const PG_BENCH_URL = process.env.PG_BENCH_URL ?? 'postgres://root@127.0.0.1:5432/postgres';

/** A database of the bench's own. */
export type BenchDatabase = ThrowawayDatabase;

/** Creates an empty database named <prefix>_<random> on the PG_BENCH_URL server. */
export function createBenchDatabase(prefix = 'kotae_bench'): Promise<BenchDatabase> {
  return createThrowawayDatabase(PG_BENCH_URL, prefix, 'the PostgreSQL runs of the bench (PG_BENCH_URL)');
}

/** The fields of /proc/<pid>/stat after the command name (index 0 is field 3, the state); null once it exited. */
function statFieldsOf(pid: number): string[] | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

const ticksToUs = (ticks: number): number => (ticks * 1_000_000) / CLOCK_TICKS_PER_SECOND;

/**
 * The postmaster's pid when PostgreSQL runs on this machine and /proc shows it (the parent of the
 * backend serving a connection); null otherwise.
 */
export async function findPostmasterPid(url: string): Promise<number | null> {
  const client = new pg.Client({ connectionString: url, application_name: 'kotae-bench' });
  await client.connect();
  try {
    const backend = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    const parent = backend === undefined ? undefined : statFieldsOf(backend)?.[1];
    return parent === undefined ? null : Number(parent);
  } finally {
    await client.end();
  }
}

/**
 * CPU time of PostgreSQL, in microseconds: the postmaster's own, that of the processes it started
 * and has reaped (its cutime and cstime: backends that exited), and that of those still running
 * (backends, WAL writer, checkpointer). A backend that exits between two readings keeps counting.
 * Other databases' work on the same server counts too, and the bench's own check queries: the bench
 * holds the machine to itself, and its checks are small next to the votes.
 */
export function readPostgresCpuTimeUs(postmasterPid: number): number {
  const own = statFieldsOf(postmasterPid);
  if (!own) return 0;
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === postmasterPid) continue;
    const fields = statFieldsOf(pid);
    if (fields && Number(fields[1]) === postmasterPid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticksToUs(ticks);
}
