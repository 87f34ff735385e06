/**
 * The load generator of `npm run bench` at N = 200 against an in-process server: correctness only
 * (every vote acked, tallied and stored; votes survive a reconnect storm), no timing assertions.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PresenterClient } from '../../scripts/bench/clients.ts';
import { ParticipantPool } from '../../scripts/bench/participant-pool.ts';
import { runReconnectStorm } from '../../scripts/bench/reconnect-storm.ts';
import { runVoteRound, type ServerProbe } from '../../scripts/bench/vote-round.ts';
import { createSession, startTestServer, type TestServer } from '../support/test-app.ts';

const PARTICIPANTS = 200;
const TIMEOUT_MS = 15_000;

let server: TestServer;
let presenter: PresenterClient;
let pool: ParticipantPool;
let probe: ServerProbe;

beforeAll(async () => {
  server = await startTestServer();
  const session = await createSession(server.baseUrl, { course: 'sample', settings: { expectedParticipants: PARTICIPANTS } });
  presenter = await PresenterClient.connect(server.baseUrl, session.session.code, session.presenterKey);
  pool = new ParticipantPool('wire', server.baseUrl, session.session.code);
  await pool.join(PARTICIPANTS);
  await pool.connectAll(TIMEOUT_MS);
  probe = { voteStore: { engine: 'sqlite', path: path.join(server.dataDir, 'kotae.sqlite') } };
});

afterAll(async () => {
  pool?.closeAll();
  presenter?.close();
  await server?.close();
});

describe('the bench load generator at N = 200', () => {
  it('gets every vote spread over a window acked, tallied on the projector and stored', async () => {
    const result = await runVoteRound(pool, presenter, probe, { questionId: 'q-basic', windowMs: 300, changeFraction: 0, seed: 1, timeoutMs: TIMEOUT_MS });
    expect(result.ackLatencyMs.count).toBe(PARTICIPANTS);
    expect(result.checks).toMatchObject({ acksOk: PARTICIPANTS, acksMissing: 0, isTallyCorrect: true, storedRows: PARTICIPANTS, storedDuplicates: 0, isStoredCorrect: true, lost: 0 });
    expect(result.checks.finalTally?.voted).toBe(PARTICIPANTS);
  });

  it('counts each participant once when a burst arrives at once', async () => {
    const result = await runVoteRound(pool, presenter, probe, { questionId: 'q-basic', windowMs: 0, changeFraction: 0, seed: 2, timeoutMs: TIMEOUT_MS });
    expect(result.checks).toMatchObject({ acksOk: PARTICIPANTS, isTallyCorrect: true, isStoredCorrect: true, lost: 0 });
  });

  it('tallies and stores the changed answer of the 10 % who change their vote', async () => {
    const result = await runVoteRound(pool, presenter, probe, { questionId: 'q-basic', windowMs: 300, changeFraction: 0.1, seed: 3, timeoutMs: TIMEOUT_MS });
    expect(result.changedVotes).toBe(PARTICIPANTS / 10);
    expect(result.checks).toMatchObject({
      votesSent: PARTICIPANTS + PARTICIPANTS / 10,
      acksOk: PARTICIPANTS + PARTICIPANTS / 10,
      isTallyCorrect: true,
      storedChangedRows: PARTICIPANTS / 10,
      storedWrongChoices: 0,
      lost: 0,
    });
    const storm = await runReconnectStorm(pool, probe, { roundId: result.roundId, finalChoices: result.finalChoices, spreadMs: 0, seed: 4, timeoutMs: TIMEOUT_MS });
    expect(storm).toMatchObject({ synced: PARTICIPANTS, intact: PARTICIPANTS, lost: 0 });
  });
});
