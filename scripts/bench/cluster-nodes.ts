/**
 * A cluster for the bench: a fresh PostgreSQL database, N production servers started as nodes of it
 * (DATABASE_URL, NODE_ID, NODE_URL), and node-router in front of them in a process of its own, as
 * HAProxy would be. Clients
 * reach everything through the router: `home` without a node, the session's requests and sockets
 * with `node=<id>`.
 */
import type { Ack, SessionHome } from '../../shared/contract.ts';
import { startRouterProcess, type RouterProcess } from './node-router-process.ts';
import { createBenchDatabase, findPostmasterPid, readPostgresCpuTimeUs, type BenchDatabase } from './postgres-process.ts';
import { findFreePort, HOST, readProcessCpuTimeUs, startServer, type ServerProcess } from './server-process.ts';

export interface BenchClusterOptions {
  projectRoot: string;
  nodeIds: readonly string[];
  /** The core every node is pinned to; null: not pinned. */
  cpu: number | null;
  /** The core the router is pinned to; null: not pinned. */
  routerCpu: number | null;
  /** Receives each node's output, with its id. */
  onOutput?: (nodeId: string, text: string) => void;
}

export interface BenchCluster {
  database: BenchDatabase;
  router: RouterProcess;
  /** The nodes by id; a node killed by `kill` stays listed. */
  nodes: Map<string, ServerProcess>;
  /** The postmaster of the local PostgreSQL (its processes' CPU time counts), or null. */
  postmasterPid: number | null;
  /** CPU time of every node still running, plus PostgreSQL's when readable, in µs. */
  cpuTimeUs(): { nodesUs: number; postgresUs: number | null };
  /** Asks the router which node runs the session. */
  homeOf(code: string, timeoutMs: number): Promise<SessionHome>;
  /** `kill -9` of a node; resolves once it has exited. */
  kill(nodeId: string): Promise<void>;
  close(): Promise<void>;
}

export async function startBenchCluster(options: BenchClusterOptions): Promise<BenchCluster> {
  const database = await createBenchDatabase('kotae_cluster');
  const nodes = new Map<string, ServerProcess>();
  const killed = new Set<string>();
  let router: RouterProcess | null = null;
  const close = async (): Promise<void> => {
    await router?.close();
    for (const server of nodes.values()) await server.stop();
    await database.drop();
  };
  try {
    // One at a time: the first applies the schema, the others find it done.
    for (const nodeId of options.nodeIds) {
      const port = await findFreePort();
      const server = await startServer({
        projectRoot: options.projectRoot,
        cpu: options.cpu,
        env: { PORT: String(port), DATABASE_URL: database.url, NODE_ID: nodeId, NODE_URL: `http://${HOST}:${port}` },
        ...(options.onOutput ? { onOutput: (text: string) => options.onOutput?.(nodeId, text) } : {}),
      });
      nodes.set(nodeId, server);
    }
    router = await startRouterProcess({
      nodes: [...nodes].map(([id, server]) => ({ id, port: Number(new URL(server.baseUrl).port) })),
      balance: 'leastconn',
      cpu: options.routerCpu,
    });
    const postmasterPid = await findPostmasterPid(database.url);
    const activeRouter = router;
    return {
      database,
      router: activeRouter,
      nodes,
      postmasterPid,
      cpuTimeUs() {
        let nodesUs = 0;
        for (const [nodeId, server] of nodes) if (!killed.has(nodeId)) nodesUs += readProcessCpuTimeUs(server.pid);
        return { nodesUs, postgresUs: postmasterPid === null ? null : readPostgresCpuTimeUs(postmasterPid) };
      },
      async homeOf(code, timeoutMs) {
        const response = await fetch(`${activeRouter.url}/api/sessions/${code}/home`, { signal: AbortSignal.timeout(timeoutMs) });
        const answer = (await response.json()) as Ack<SessionHome>;
        if (!answer.ok) throw new Error(`home of ${code}: ${answer.error.message}`);
        return answer.data;
      },
      async kill(nodeId) {
        const server = nodes.get(nodeId);
        if (!server) throw new Error(`no node ${nodeId}`);
        killed.add(nodeId);
        await server.kill('SIGKILL');
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
