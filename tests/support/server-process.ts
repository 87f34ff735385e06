/** Runs the real server entry point (server/main.ts) as a child process, for tests that kill it. */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterEach } from 'vitest';
import { closeAll, type ClientSocket } from './clients.ts';
import { FIXTURE_COURSES_DIR, TEST_ADMIN_PASSWORD } from './test-app.ts';

const projectRoot = path.resolve(import.meta.dirname, '..', '..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  /** What it printed until it listened. */
  startupOutput: string;
}

/** Starts server/main.ts (with `env` over the test settings) and resolves once it prints that it listens. */
export async function spawnServer(dataDir: string, port: number, env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: projectRoot,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, COURSES_DIR: FIXTURE_COURSES_DIR, DEMO_COURSE: 'sample', ADMIN_PASSWORD: TEST_ADMIN_PASSWORD, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('kotae listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${exitCode}:\n${output}`));
    });
  });
  return { child, baseUrl: `http://127.0.0.1:${port}`, startupOutput: output };
}

export function kill(server: ServerProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return resolve();
    server.child.once('exit', () => resolve());
    server.child.kill(signal);
  });
}

/** Server processes and sockets a test starts, killed and closed after each test. */
export function useServerProcesses(): { sockets: ClientSocket[]; spawn(dataDir: string, port: number, env?: NodeJS.ProcessEnv): Promise<ServerProcess> } {
  const processes: ServerProcess[] = [];
  const sockets: ClientSocket[] = [];
  afterEach(async () => {
    closeAll(sockets.splice(0));
    for (const server of processes.splice(0)) await kill(server);
  });
  return {
    sockets,
    async spawn(dataDir, port, env) {
      const server = await spawnServer(dataDir, port, env);
      processes.push(server);
      return server;
    },
  };
}
