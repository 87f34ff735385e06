/**
 * Real server processes (server/main.ts) on one fresh PostgreSQL database, behind the in-test router
 * that stands in for the shipped HAProxy config, and clients that reach them as the pages do: through
 * the router, following their session's owner (client/lib/session-home.ts).
 */
import { io } from 'socket.io-client';
import { apiPaths, type Ack, type Joined, type SessionHome } from '../../shared/contract.ts';
import type { HandshakeAuth } from '../../shared/protocol.ts';
import { followOwner, SessionRoute } from '../../client/lib/session-home.ts';
import { startNodeRouter, type NodeRouter } from '../../scripts/bench/node-router.ts';
import { requireOk, type ClientSocket } from './clients.ts';
import { createPostgresTestDatabase, type PostgresTestDatabase } from './postgres.ts';
import { freePort, kill, spawnServer, type ServerProcess } from './server-process.ts';
import { makeDataDir } from './test-app.ts';

export interface ClusterNode {
  nodeId: string;
  process: ServerProcess;
}

export interface ProcessCluster {
  database: PostgresTestDatabase;
  router: NodeRouter;
  nodes: ClusterNode[];
  /** The node with this id. */
  node(nodeId: string): ClusterNode;
  /** Closes the router, kills every node and drops the database. */
  close(): Promise<void>;
}

/** Starts `nodeCount` nodes (kotae-1, kotae-2, …) and the router, once every node passes its health check. */
export async function startProcessCluster(nodeCount: number): Promise<ProcessCluster> {
  const database = await createPostgresTestDatabase('kotae_nodes');
  const nodes = await Promise.all(
    Array.from({ length: nodeCount }, async (_, i): Promise<ClusterNode> => {
      const nodeId = `kotae-${i + 1}`;
      const port = await freePort();
      const process = await spawnServer(makeDataDir(), port, {
        DATABASE_URL: database.url,
        NODE_ID: nodeId,
        NODE_URL: `http://127.0.0.1:${port}`,
        // Every phone of a test joins from 127.0.0.1.
        JOINS_PER_MINUTE_PER_ADDRESS: '100000',
      });
      return { nodeId, process };
    }),
  );
  const router = await startNodeRouter({ nodes: nodes.map((node) => ({ id: node.nodeId, port: Number(new URL(node.process.baseUrl).port) })) });
  for (const node of nodes) await router.waitForState(node.nodeId, true, 10_000);
  return {
    database,
    router,
    nodes,
    node: (nodeId) => nodes.find((node) => node.nodeId === nodeId)!,
    async close() {
      await router.close();
      for (const node of nodes) await kill(node.process);
      await database.drop();
    },
  };
}

/** The node that runs the session, as any node answers it. */
export async function homeOf(baseUrl: string, code: string): Promise<SessionHome> {
  return requireOk((await (await fetch(`${baseUrl}${apiPaths.home(code)}`)).json()) as Ack<SessionHome>);
}

/** A socket through the router that follows its session's owner, as the pages' sockets do; it connects itself. */
export function followingSocket(baseUrl: string, code: string, auth: HandshakeAuth, transports: Array<'websocket' | 'polling'> = ['websocket']): ClientSocket {
  const socket: ClientSocket = io(baseUrl, { auth, transports, forceNew: true, autoConnect: false, reconnectionDelayMax: 3000 });
  followOwner(socket, new SessionRoute(code, { baseUrl }));
  return socket;
}

/** Joins through the router, naming the owner as the phone page does. */
export async function joinThroughRouter(baseUrl: string, code: string, nickname: string): Promise<Joined> {
  const route = new SessionRoute(code, { baseUrl });
  route.nodeId = (await homeOf(baseUrl, code)).nodeId;
  const response = await fetch(route.urlOf(apiPaths.participants(code)), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ nickname }) });
  return requireOk((await response.json()) as Ack<Joined>);
}
