/**
 * A second load generator: a child process that drives one group (LocalGroupDriver) on the parent's
 * behalf, so the parent can hold kotae's phones and the child the baseline's, each under its own
 * open-file limit. RemoteGroupDriver is the parent's side; the child answers each call over IPC.
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LocalGroupDriver, type GroupDriver, type GroupPlan, type ServerHandle } from './group-driver.ts';

type Method = Exclude<keyof GroupDriver, 'close'> | 'close';

interface DriverCall {
  id: number;
  method: Method | 'create';
  args: unknown[];
}

type DriverReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** The parent's handle on a driver running in a child process pinned to `cpu` (null: not pinned). */
export class RemoteGroupDriver implements GroupDriver {
  private readonly child: ChildProcess;
  private readonly waiting = new Map<number, (reply: DriverReply) => void>();
  private nextId = 0;
  private readonly created: Promise<unknown>;

  constructor(server: ServerHandle, plan: GroupPlan, cpu: number | null) {
    // Advanced serialization keeps Infinity (a storm that timed out) and typed arrays intact.
    this.child = fork(fileURLToPath(import.meta.url), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
    if (cpu !== null && this.child.pid !== undefined) spawnSync('taskset', ['-a', '-cp', String(cpu), String(this.child.pid)], { stdio: 'ignore' });
    this.child.on('message', (reply: DriverReply) => {
      this.waiting.get(reply.id)?.(reply);
      this.waiting.delete(reply.id);
    });
    this.child.once('exit', (code) => {
      for (const wake of this.waiting.values()) wake({ id: -1, ok: false, error: `the generator child exited with code ${code}` });
      this.waiting.clear();
    });
    const handle: ServerHandle = { baseUrl: server.baseUrl, pid: server.pid, voteStore: server.voteStore, postmasterPid: server.postmasterPid ?? null };
    this.created = this.call('create', [handle, plan]);
  }

  async setUp(): Promise<{ joinMs: number; connectMs: number }> {
    await this.created;
    return this.call('setUp', []) as Promise<{ joinMs: number; connectMs: number }>;
  }

  runVotes: GroupDriver['runVotes'] = (options) => this.call('runVotes', [options]) as ReturnType<GroupDriver['runVotes']>;
  runReconnect: GroupDriver['runReconnect'] = (options) => this.call('runReconnect', [options]) as ReturnType<GroupDriver['runReconnect']>;
  runSessions: GroupDriver['runSessions'] = (options) => this.call('runSessions', [options]) as ReturnType<GroupDriver['runSessions']>;

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.call('close', []).catch(() => undefined);
    this.child.kill();
    await exited;
  }

  private call(method: DriverCall['method'], args: unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.waiting.set(id, (reply) => (reply.ok ? resolve(reply.result) : reject(new Error(reply.error))));
      this.child.send({ id, method, args } satisfies DriverCall);
    });
  }
}

/** The child's side: one LocalGroupDriver, created by the first call. */
function serveDriverCalls(): void {
  let driver: LocalGroupDriver | null = null;
  process.on('message', (call: DriverCall) => {
    const reply = (message: DriverReply): void => void process.send?.(message);
    const run = async (): Promise<unknown> => {
      if (call.method === 'create') {
        driver = new LocalGroupDriver(call.args[0] as ServerHandle, call.args[1] as GroupPlan);
        return null;
      }
      if (!driver) throw new Error('the driver was not created');
      const method = driver[call.method] as (...args: unknown[]) => Promise<unknown>;
      return method.apply(driver, call.args);
    };
    run().then(
      (result) => reply({ id: call.id, ok: true, result }),
      (error: unknown) => reply({ id: call.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.send) serveDriverCalls();
