/**
 * bench:cluster, scenario "engines": the same server on SQLite and on PostgreSQL, one node each,
 * side by side in the same run. Both servers run on the server core with one session of N phones
 * each, every phone played by a generator process of its own on the other core; rounds alternate
 * between the two run by run (which goes first alternates too), as `npm run bench` alternates kotae
 * and the bare Socket.IO server. Each server starts with a fresh store: a new data folder, and for
 * PostgreSQL a new database, dropped afterwards.
 */
import { RemoteGroupDriver } from './driver-process.ts';
import type { GroupDriver, GroupPlan } from './group-driver.ts';
import { createBenchDatabase, findPostmasterPid, type BenchDatabase } from './postgres-process.ts';
import type { VoteRun } from './report.ts';
import { findFreePort, HOST, startServer, type ServerProcess } from './server-process.ts';
import { sleep } from './stats.ts';

/** The storage engine a side runs on. */
export type Engine = 'sqlite' | 'postgres';

export const ENGINES: readonly Engine[] = ['sqlite', 'postgres'];

/** What the engines scenario needs from the bench. */
export interface EnginesOptions {
  projectRoot: string;
  participants: number;
  runs: number;
  questionIds: string[];
  /** Cores for the servers and the generators; null: not pinned. */
  serverCpu: number | null;
  generatorCpu: number | null;
  /** Upper bound of every wait. */
  timeoutMs: number;
  pauseBetweenRunsMs: number;
  seedOf(text: string, run: number): number;
  log(line: string): void;
  describeRun(label: string, run: VoteRun): string;
}

/** One engine's side of a group: its set-up, its cold first round, its measured runs. */
export interface EngineSide {
  engine: Engine;
  joinMs: number;
  connectMs: number;
  firstRound: VoteRun;
  runs: VoteRun[];
}

export interface EnginesResult {
  participants: number;
  /** Votes spread over this window, every phone voting once. */
  windowMs: number;
  sides: EngineSide[];
}

interface LiveSide {
  engine: Engine;
  server: ServerProcess;
  driver: GroupDriver;
  database: BenchDatabase | null;
}

const WINDOW_MS = 1000;

async function startSide(engine: Engine, plan: GroupPlan, options: EnginesOptions): Promise<LiveSide> {
  const database = engine === 'postgres' ? await createBenchDatabase() : null;
  try {
    const port = await findFreePort();
    const server = await startServer({
      projectRoot: options.projectRoot,
      cpu: options.serverCpu,
      env: { PORT: String(port), ...(database ? { DATABASE_URL: database.url, NODE_ID: 'kotae-pg', NODE_URL: `http://${HOST}:${port}` } : {}) },
    });
    const postmasterPid = database ? await findPostmasterPid(database.url) : null;
    const driver = new RemoteGroupDriver({ ...server, postmasterPid }, plan, options.generatorCpu);
    return { engine, server, driver, database };
  } catch (error) {
    await database?.drop();
    throw error;
  }
}

async function stopSide(side: LiveSide): Promise<void> {
  await side.driver.close();
  await side.server.stop();
  await side.database?.drop();
}

export async function runEngines(options: EnginesOptions): Promise<EnginesResult> {
  const plan: GroupPlan = { clientKind: 'wire', participants: options.participants, sessions: 1, questionIds: options.questionIds, timeoutMs: options.timeoutMs };
  const live: LiveSide[] = [];
  try {
    for (const engine of ENGINES) {
      const side = await startSide(engine, plan, options);
      live.push(side);
      options.log(`\nengines-${options.participants} (${engine}): server pid ${side.server.pid} on ${side.server.baseUrl}${side.database ? `, database ${side.database.name}` : ''}`);
    }
    const sides: EngineSide[] = [];
    for (const side of live) {
      const setUp = await side.driver.setUp();
      options.log(`  ${side.engine}: ${options.participants} joined in ${Math.round(setUp.joinMs)} ms, connected and synced in ${Math.round(setUp.connectMs)} ms`);
      const firstRound = await side.driver.runVotes({ windowMs: WINDOW_MS, changeFraction: 0, seed: options.seedOf(`engines-${options.participants}-first`, 0) });
      options.log(options.describeRun(`${side.engine} first round (cold)`, firstRound));
      sides.push({ engine: side.engine, ...setUp, firstRound, runs: [] });
      await sleep(options.pauseBetweenRunsMs);
    }
    for (let run = 0; run < options.runs; run++) {
      const order = run % 2 === 0 ? live : [...live].reverse();
      for (const side of order) {
        const result = await side.driver.runVotes({ windowMs: WINDOW_MS, changeFraction: 0, seed: options.seedOf(`engines-${options.participants}`, run) });
        options.log(options.describeRun(`${side.engine} #${run + 1}`, result));
        sides.find((candidate) => candidate.engine === side.engine)?.runs.push(result);
        await sleep(options.pauseBetweenRunsMs);
      }
    }
    return { participants: options.participants, windowMs: WINDOW_MS, sides };
  } finally {
    for (const side of live) await stopSide(side);
  }
}
