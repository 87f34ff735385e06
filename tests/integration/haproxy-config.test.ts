/**
 * The shipped HAProxy config (deploy/haproxy/kotae.cfg, Debian's haproxy 2.6) in front of three real
 * nodes, with only its addresses rewritten to this machine's ports: it routes by node=, carries
 * long-polling without sticky sessions, and after `kill -9` of an owner its health checks and
 * fallback let every phone follow the session to another node.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ParticipantSnapshot } from '../../shared/contract.ts';
import { closeAll, requireOk, type ClientSocket } from '../support/clients.ts';
import { followingSocket, homeOf, joinThroughRouter, sessionWithProjector, startProcessCluster, type ProcessCluster } from '../support/process-cluster.ts';
import { freePort, kill } from '../support/server-process.ts';

const SHIPPED_CONFIG = path.resolve(import.meta.dirname, '..', '..', 'deploy', 'haproxy', 'kotae.cfg');

let cluster: ProcessCluster | undefined;
let haproxy: ChildProcess | undefined;
const sockets: ClientSocket[] = [];
afterEach(async () => {
  closeAll(sockets.splice(0));
  haproxy?.kill('SIGKILL');
  haproxy = undefined;
  await cluster?.close();
  cluster = undefined;
});

/**
 * The shipped config with kotae-N at 127.0.0.1:<its port> and the frontend on `port`; logging to
 * syslog left out, and maxconn within a test process's open-file limit (20,000 connections need 40,000).
 */
function configFor(cluster: ProcessCluster, port: number): string {
  let config = fs
    .readFileSync(SHIPPED_CONFIG, 'utf8')
    .replace(/^\s*log \/dev\/log.*$/m, '')
    .replace(/^(\s*)maxconn 20000$/m, '$1maxconn 2000')
    .replace(/^(\s*)bind :80$/m, `$1bind 127.0.0.1:${port}`);
  for (const [i, node] of cluster.nodes.entries()) config = config.replaceAll(`10.0.0.1${i + 1}:3000`, `127.0.0.1:${new URL(node.process.baseUrl).port}`);
  return config;
}

/** Starts haproxy in the foreground on the config and resolves once it answers on `port`. */
async function startHaproxy(config: string, port: number): Promise<string> {
  if (spawnSync('haproxy', ['-v']).status !== 0) throw new Error('haproxy not found: apt-get install -y haproxy (.ci/run installs it)');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kotae-haproxy-')), 'kotae.cfg');
  fs.writeFileSync(file, config);
  const check = spawnSync('haproxy', ['-c', '-f', file], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`haproxy refuses the config:\n${check.stdout}${check.stderr}`);
  haproxy = spawn('haproxy', ['-db', '-f', file], { stdio: 'ignore' });
  const baseUrl = `http://127.0.0.1:${port}`;
  await expect.poll(async () => (await fetch(`${baseUrl}/healthz`).catch(() => null))?.status, { timeout: 10_000 }).toBe(200);
  return baseUrl;
}

describe('the shipped HAProxy config in front of three nodes', () => {
  it('routes by node=, serves long-polling without stickiness, and takes every phone to the new owner after kill -9', async () => {
    cluster = await startProcessCluster(3);
    const port = await freePort();
    const baseUrl = await startHaproxy(configFor(cluster, port), port);
    const { code, owner, presenter } = await sessionWithProjector(cluster, baseUrl);
    sockets.push(presenter);
    const phones = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const joined = await joinThroughRouter(baseUrl, code, `HAProxy${i + 1}`);
        // Every third phone long-polls: each of its requests must reach the owner by its node= alone.
        const socket = followingSocket(baseUrl, code, { role: 'participant', code, token: joined.token }, i % 3 === 0 ? ['polling'] : ['websocket']);
        sockets.push(socket);
        const synced: Array<{ at: number; snapshot: ParticipantSnapshot }> = [];
        socket.on('participant:synced', (snapshot) => synced.push({ at: performance.now(), snapshot }));
        await expect.poll(() => synced.length, { timeout: 10_000 }).toBeGreaterThan(0);
        return { ...joined, socket, synced };
      }),
    );
    const { roundId } = requireOk(await presenter.emitWithAck('poll:open', { questionId: 'q-basic' }));
    for (const [i, phone] of phones.entries()) {
      requireOk(await phone.socket.emitWithAck('vote:cast', { roundId, choice: i % 2 === 0 ? 'o' : 'x', voteId: `haproxy-vote-${String(i).padStart(4, '0')}` }));
    }

    const killedAt = performance.now();
    await kill(owner.process);
    const isResynced = (phone: (typeof phones)[number], i: number): boolean =>
      phone.synced.some(({ at, snapshot }) => at > killedAt && snapshot.round?.roundId === roundId && snapshot.myChoice === (i % 2 === 0 ? 'o' : 'x'));
    await expect.poll(() => phones.filter(isResynced).length, { timeout: 10_000, interval: 100 }).toBe(phones.length);
    const last = Math.max(...phones.map((phone) => phone.synced.find(({ at }) => at > killedAt)!.at - killedAt));
    console.info(`through HAProxy: kill -9 → last of ${phones.length} phones resynced after ${Math.round(last)} ms`);
    expect((await homeOf(baseUrl, code)).nodeId).not.toBe(owner.nodeId);
    const stored = await cluster.database.query<{ n: number }>(`SELECT COUNT(DISTINCT vote_id)::int AS n FROM vote_events WHERE round_id = '${roundId}'`);
    expect(stored).toEqual([{ n: phones.length }]);
  }, 90_000);
});
