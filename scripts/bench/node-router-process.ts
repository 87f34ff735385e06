/**
 * node-router in a process of its own, as HAProxy is in production: every phone costs the router two
 * open files (its side and the node's), and one process may hold only so many (20,000 here), so the
 * bench's generator and its routers cannot share one. RouterProcess is the bench's side; the child
 * runs startNodeRouter and reports every node marked up or down, as it happens, over IPC.
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startNodeRouter, type NodeRouter, type NodeRouterOptions } from './node-router.ts';

/** What the bench sees of a router in its own process. */
export interface RouterProcess {
  url: string;
  port: number;
  pid: number;
  /** Whether the node was last reported up. */
  isUp(nodeId: string): boolean;
  /** Resolves once the node is reported up (true) or down (false); rejects after `timeoutMs`. */
  waitForState(nodeId: string, isUp: boolean, timeoutMs: number): Promise<void>;
  /** Open client connections forwarded to each node, now. */
  openConnections(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

type ToRouter = { type: 'start'; options: NodeRouterOptions } | { type: 'count'; id: number } | { type: 'close' };
type FromRouter =
  | { type: 'started'; url: string; port: number }
  | { type: 'state'; nodeId: string; isUp: boolean }
  | { type: 'counted'; id: number; counts: Record<string, number> }
  | { type: 'failed'; error: string };

const START_TIMEOUT_MS = 10_000;

/** Forks the router, pinned to `cpu` (null: not pinned), and resolves once it listens. */
export async function startRouterProcess(options: NodeRouterOptions & { cpu: number | null }): Promise<RouterProcess> {
  const { cpu, ...routerOptions } = options;
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  if (cpu !== null && child.pid !== undefined) spawnSync('taskset', ['-a', '-cp', String(cpu), String(child.pid)], { stdio: 'ignore' });
  const states = new Map(routerOptions.nodes.map((node) => [node.id, true]));
  const stateWaiters = new Set<() => void>();
  const counts = new Map<number, (counts: Record<string, number>) => void>();
  let nextCountId = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const send = (message: ToRouter): void => void child.send(message);

  const started = new Promise<{ url: string; port: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the router did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    child.on('message', (message: FromRouter) => {
      if (message.type === 'started') {
        clearTimeout(timer);
        resolve(message);
      } else if (message.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(message.error));
      } else if (message.type === 'state') {
        states.set(message.nodeId, message.isUp);
        for (const wake of stateWaiters) wake();
      } else if (message.type === 'counted') {
        counts.get(message.id)?.(message.counts);
        counts.delete(message.id);
      }
    });
    void exited.then(() => reject(new Error('the router exited')));
  });
  send({ type: 'start', options: routerOptions });
  const { url, port } = await started.catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });

  return {
    url,
    port,
    pid: child.pid ?? 0,
    isUp: (nodeId) => states.get(nodeId) ?? false,
    waitForState(nodeId, isUp, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (states.get(nodeId) !== isUp) return;
          clearTimeout(timer);
          stateWaiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          stateWaiters.delete(check);
          reject(new Error(`node ${nodeId} was not marked ${isUp ? 'up' : 'down'} within ${timeoutMs} ms`));
        }, timeoutMs);
        stateWaiters.add(check);
        check();
      });
    },
    openConnections() {
      return new Promise((resolve) => {
        const id = nextCountId++;
        counts.set(id, resolve);
        send({ type: 'count', id });
      });
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      send({ type: 'close' });
      const timer = setTimeout(() => child.kill('SIGKILL'), START_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The child's side: one router, closed and gone on `close` or when the parent goes away. */
function serveRouter(): void {
  let router: NodeRouter | null = null;
  let nodeIds: string[] = [];
  const reply = (message: FromRouter): void => void process.send?.(message);
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: ToRouter) => {
    if (message.type === 'start') {
      nodeIds = message.options.nodes.map((node) => node.id);
      startNodeRouter(message.options).then(
        (started) => {
          router = started;
          started.onStateChange((nodeId, isUp) => reply({ type: 'state', nodeId, isUp }));
          reply({ type: 'started', url: started.url, port: started.port });
        },
        (error: unknown) => reply({ type: 'failed', error: String(error) }),
      );
    } else if (message.type === 'count') {
      const active = router;
      reply({ type: 'counted', id: message.id, counts: Object.fromEntries(nodeIds.map((id) => [id, active?.openConnectionsOf(id) ?? 0])) });
    } else {
      void (router?.close() ?? Promise.resolve()).then(() => process.exit(0));
    }
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.send) serveRouter();
