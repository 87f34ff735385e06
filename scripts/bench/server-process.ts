/**
 * The production server as a child process on its own CPU core, with a throw-away data folder, and
 * what /proc tells about it (CPU time, resident memory).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { DiagnosticsReport, DiagnosticsRequest } from '../../server/diagnostics.ts';
import type { VoteStore } from './stored-votes.ts';

export const HOST = '127.0.0.1';
/** The admin password of the bench's throw-away server (creating a session needs the admin login). */
export const BENCH_ADMIN_PASSWORD = 'bench-admin-password';
/** The open-file limit the server asks for; the shell settles for the hard limit when lower. */
const OPEN_FILES_WANTED = 65_536;
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const DIAGNOSTICS_TIMEOUT_MS = 30_000;

/** kotae's production entry, or the bare Socket.IO baseline. */
export type ServerKind = 'kotae' | 'baseline';

const ENTRY_OF: Record<ServerKind, string> = {
  kotae: path.join('server', 'main.ts'),
  baseline: path.join('scripts', 'bench', 'baseline-server.ts'),
};

export interface ServerProcessOptions {
  projectRoot: string;
  /** Default kotae. */
  kind?: ServerKind;
  /** The core to pin the server to (taskset), or null to leave it to the scheduler. */
  cpu: number | null;
  /** When set, the server writes a V8 CPU profile (`node --cpu-prof`) into this folder on exit. */
  cpuProfileDir?: string | undefined;
  /** More node options, e.g. --trace-gc while investigating. */
  extraNodeArgs?: string[];
  /** Receives the server's output lines (by default only the start is watched). */
  onOutput?: (text: string) => void;
  /**
   * Environment over the bench's settings, e.g. DATABASE_URL for PostgreSQL, or NODE_ID and
   * NODE_URL for a cluster node; a port given as PORT is used instead of a free one.
   */
  env?: Record<string, string>;
}

export interface ServerProcess {
  kind: ServerKind;
  pid: number;
  baseUrl: string;
  dataDir: string;
  /** Where the votes are stored: the SQLite file, or DATABASE_URL; null for the baseline, which stores nothing. */
  voteStore: VoteStore | null;
  /** The open-file limit the server runs with. */
  openFileLimit: number;
  /** User + system CPU time of the server so far, in microseconds (resolution: one clock tick). */
  cpuTimeUs(): number;
  /** Peak resident memory (VmHWM) since start or the last resetPeakRss, in bytes. */
  peakRssBytes(): number;
  /** Restarts VmHWM from the current resident size (root only); false if the kernel refused. */
  resetPeakRss(): boolean;
  /** The server's own view (push timings, GC pauses, heap), over its IPC channel. */
  readDiagnostics(): Promise<DiagnosticsReport>;
  /** Runs a full garbage collection in the server, then reads its diagnostics. */
  collectGarbage(): Promise<DiagnosticsReport>;
  /** Sends the signal (SIGKILL: `kill -9`, no goodbye) and resolves once the server has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** SIGTERM, SIGKILL after 10 s if need be; then its data folder is removed. */
  stop(): Promise<void>;
}

/** Finds a free TCP port by binding port 0 and letting it go. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

export function hasTaskset(): boolean {
  return spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Pins every thread of this process to one core. */
export function pinThisProcess(cpu: number): boolean {
  return spawnSync('taskset', ['-a', '-cp', String(cpu), String(process.pid)], { stdio: 'ignore' }).status === 0;
}

/** The kernel's clock ticks per second, the unit of CPU times in /proc. */
export const CLOCK_TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** utime + stime of a process from /proc/<pid>/stat, in microseconds. */
export function readProcessCpuTimeUs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1_000_000) / CLOCK_TICKS_PER_SECOND;
}

/** Time the hypervisor took from this machine's CPUs (the `steal` column of /proc/stat), in microseconds. */
export function readStolenTimeUs(): number {
  if (!fs.existsSync('/proc/stat')) return 0;
  const total = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/) ?? [];
  return (Number(total[8] ?? 0) * 1_000_000) / CLOCK_TICKS_PER_SECOND;
}

/** A field such as VmHWM or VmRSS of /proc/<pid>/status, in bytes. */
export function readProcessMemoryBytes(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

function readOpenFileLimit(pid: number): number {
  const limits = fs.readFileSync(`/proc/${pid}/limits`, 'utf8');
  const match = /^Max open files\s+(\d+)/m.exec(limits);
  return match ? Number(match[1]) : 0;
}

const running = new Set<ChildProcess>();
let isExitHookInstalled = false;

/** Whatever happens to the bench, no server outlives it. */
function installExitHook(): void {
  if (isExitHookInstalled) return;
  isExitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const child of running) child.kill('SIGKILL');
      process.exit(130);
    });
  }
}

/** Asks a server started with DIAGNOSTICS=ipc over its IPC channel; answers arrive by request id. */
function diagnosticsChannelOf(child: ChildProcess): (type: DiagnosticsRequest['type']) => Promise<DiagnosticsReport> {
  const waiting = new Map<number, (report: DiagnosticsReport) => void>();
  let nextId = 0;
  child.on('message', (message: { id?: number; data?: DiagnosticsReport }) => {
    if (message.id === undefined || !message.data) return;
    waiting.get(message.id)?.(message.data);
    waiting.delete(message.id);
  });
  return (type) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`the server did not answer ${type} within ${DIAGNOSTICS_TIMEOUT_MS} ms`));
      }, DIAGNOSTICS_TIMEOUT_MS);
      waiting.set(id, (report) => {
        clearTimeout(timer);
        resolve(report);
      });
      child.send({ type, id } satisfies DiagnosticsRequest);
    });
}

function voteStoreOf(kind: ServerKind, dataDir: string, databaseUrl: string | undefined): VoteStore | null {
  if (kind === 'baseline') return null;
  return databaseUrl ? { engine: 'postgres', url: databaseUrl } : { engine: 'sqlite', path: path.join(dataDir, 'kotae.sqlite') };
}

export async function startServer(options: ServerProcessOptions): Promise<ServerProcess> {
  installExitHook();
  const kind = options.kind ?? 'kotae';
  const port = options.env?.PORT ? Number(options.env.PORT) : await findFreePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kotae-bench-'));
  const nodeArgs = [
    ...(options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : []),
    ...(options.extraNodeArgs ?? []),
    '--import',
    'tsx',
    ENTRY_OF[kind],
  ];
  const quoted = [process.execPath, ...nodeArgs].map((arg) => `'${arg.replaceAll("'", `'\\''`)}'`).join(' ');
  const script = `ulimit -n ${OPEN_FILES_WANTED} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec ${quoted}`;
  const [command, args] = options.cpu === null ? ['sh', ['-c', script]] : ['taskset', ['-c', String(options.cpu), 'sh', '-c', script]];
  const child = spawn(command, args, {
    cwd: options.projectRoot,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST,
      DATA_DIR: dataDir,
      COURSES_DIR: path.join(options.projectRoot, 'slides'),
      // Every simulated phone joins from 127.0.0.1: lift the per-address join limit for the load.
      JOINS_PER_MINUTE_PER_ADDRESS: '1000000',
      ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
      DIAGNOSTICS: 'ipc',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const askDiagnostics = diagnosticsChannelOf(child);
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => running.delete(child));
  let errorOutput = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errorOutput = (errorOutput + chunk.toString()).slice(-4000);
  });

  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`the server did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\n${errorOutput}`));
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      options.onOutput?.(chunk.toString());
      if (output.length < 10_000) output += chunk.toString();
      if (output.includes(`${kind} listening on`)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => fail(new Error(`the server exited with code ${code}`)));
  });
  child.stdout?.resume();

  const pid = child.pid;
  if (pid === undefined) throw new Error('the server has no pid');
  return {
    kind,
    pid,
    baseUrl: `http://${HOST}:${port}`,
    dataDir,
    voteStore: voteStoreOf(kind, dataDir, options.env?.DATABASE_URL),
    openFileLimit: readOpenFileLimit(pid),
    cpuTimeUs: () => readProcessCpuTimeUs(pid),
    peakRssBytes: () => readProcessMemoryBytes(pid, 'VmHWM'),
    resetPeakRss() {
      try {
        fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
        return true;
      } catch {
        return false;
      }
    },
    readDiagnostics: () => askDiagnostics('diagnostics:read'),
    collectGarbage: () => askDiagnostics('diagnostics:collect-garbage'),
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
