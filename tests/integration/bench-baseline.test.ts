/**
 * The bench's own machinery at a small size, for correctness only (no timing assertions): the bare
 * Socket.IO baseline answers the same generator as kotae, a generator child process drives a group,
 * the server's diagnostics report the push, and many sessions at once lose nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RemoteGroupDriver } from '../../scripts/bench/driver-process.ts';
import { LocalGroupDriver, type GroupDriver, type GroupPlan } from '../../scripts/bench/group-driver.ts';
import { startServer, type ServerProcess } from '../../scripts/bench/server-process.ts';

const projectRoot = path.resolve(import.meta.dirname, '..', '..');
const questionIds = (JSON.parse(fs.readFileSync(path.join(projectRoot, 'slides', 'kasuhara', 'questions.json'), 'utf8')) as Array<{ id: string; kind: string }>)
  .filter((question) => question.kind === 'ox')
  .map((question) => question.id);
const TIMEOUT_MS = 20_000;

const started: Array<{ server: ServerProcess; driver: GroupDriver }> = [];

afterEach(async () => {
  for (const { server, driver } of started.splice(0)) {
    await driver.close();
    await server.stop();
  }
});

async function startGroup(kind: ServerProcess['kind'], plan: Omit<GroupPlan, 'questionIds' | 'timeoutMs'>, where: 'here' | 'child') {
  const server = await startServer({ projectRoot, kind, cpu: null });
  const fullPlan: GroupPlan = { ...plan, questionIds, timeoutMs: TIMEOUT_MS };
  const driver = where === 'here' ? new LocalGroupDriver(server, fullPlan) : new RemoteGroupDriver(server, fullPlan, null);
  started.push({ server, driver });
  await driver.setUp();
  return { server, driver };
}

describe('the bench against the bare Socket.IO baseline', () => {
  it('gets every vote acked and tallied by the baseline, which stores nothing, and reads its push from its diagnostics', async () => {
    const { server, driver } = await startGroup('baseline', { clientKind: 'wire', participants: 100, sessions: 1 }, 'here');
    const run = await driver.runVotes({ windowMs: 300, changeFraction: 0.1, seed: 1 });
    expect(run.checks).toMatchObject({ votesSent: 110, acksOk: 110, isTallyCorrect: true, storedRows: null, lost: 0 });
    const pushes = (await server.readDiagnostics()).fanOuts.filter((sample) => sample.event === 'round:changed');
    expect(pushes.at(-1)?.recipients).toBe(100);
  }, 60_000);

  it('drives kotae from a generator child process: many sessions at once, one of them bursting, lose no vote', async () => {
    const { server, driver } = await startGroup('kotae', { clientKind: 'wire', participants: 40, sessions: 3 }, 'child');
    const result = await driver.runSessions({ roundsPerPhase: 1, seed: 2 });
    expect(result.sessions).toBe(3);
    expect(result.steady.map((lane) => lane.votes)).toEqual([40, 40, 40]);
    expect(result.oneBursting[0]?.rounds).toBeGreaterThanOrEqual(1);
    expect(result.lost).toBe(0);
    const report = await server.readDiagnostics();
    const push = report.fanOuts.filter((sample) => sample.event === 'round:changed').at(-1);
    expect(push?.recipients).toBe(40);
    expect(push?.sinceCommandMs).toBeGreaterThanOrEqual(push?.emitMs ?? Number.POSITIVE_INFINITY);
    // The three bench sessions; the demo session opened at start is not loaded until someone uses it.
    expect(report.roomsHeld).toBe(3);
  }, 90_000);
});
