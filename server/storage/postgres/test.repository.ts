import type { TestAttempt, TestRun } from '../../domain/knowledge-test.ts';
import { toAttempt, toRun, type AttemptRow, type RunRow } from '../test.repository.ts';
import type { TestRepository } from '../storage.ts';
import type { Queryable } from './database.ts';

/** Knowledge-test runs and the participants' attempts at them, on PostgreSQL. */
export class PostgresTestRepository implements TestRepository {
  constructor(private readonly reader: Queryable) {}

  async runsOf(sessionId: string): Promise<TestRun[]> {
    const { rows } = await this.reader.query<RunRow>('SELECT * FROM test_runs WHERE session_id = $1 ORDER BY seq', [sessionId]);
    return rows.map(toRun);
  }

  async attemptsOfSession(sessionId: string): Promise<TestAttempt[]> {
    const { rows } = await this.reader.query<AttemptRow>('SELECT * FROM test_attempts WHERE run_id IN (SELECT id FROM test_runs WHERE session_id = $1)', [sessionId]);
    return rows.map(toAttempt);
  }

  async insertRun(db: Queryable, run: TestRun): Promise<void> {
    await db.query('INSERT INTO test_runs (id, session_id, kind, item_ids, status, opened_at, closed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      run.id,
      run.sessionId,
      run.kind,
      JSON.stringify(run.itemIds),
      run.status,
      run.openedAt,
      run.closedAt,
    ]);
  }

  async updateRun(db: Queryable, run: TestRun): Promise<void> {
    await db.query('UPDATE test_runs SET status = $1, closed_at = $2 WHERE id = $3', [run.status, run.closedAt, run.id]);
  }

  async saveAttempt(db: Queryable, attempt: TestAttempt): Promise<void> {
    await db.query(
      `INSERT INTO test_attempts (run_id, participant_id, answers, position, submitted_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (run_id, participant_id) DO UPDATE SET answers = excluded.answers, position = excluded.position, submitted_at = excluded.submitted_at`,
      [attempt.runId, attempt.participantId, JSON.stringify(attempt.answers), attempt.position, attempt.submittedAt],
    );
  }
}
