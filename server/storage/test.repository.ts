import type { TestChoice, TestKind } from '../../shared/contract.ts';
import type { TestAttempt, TestRun } from '../domain/knowledge-test.ts';
import type { Db } from './database.ts';
import type { TestRepository } from './storage.ts';

/** A row of the test_runs table. */
export interface RunRow {
  id: string;
  session_id: string;
  kind: TestKind;
  item_ids: string;
  status: TestRun['status'];
  opened_at: number;
  closed_at: number | null;
}

/** A row of the test_attempts table. */
export interface AttemptRow {
  run_id: string;
  participant_id: string;
  answers: string;
  position: number;
  submitted_at: number | null;
}

/** A test_runs row as the domain sees it (both engines). */
export function toRun(row: RunRow): TestRun {
  return {
    id: row.id,
    sessionId: row.session_id,
    kind: row.kind,
    itemIds: JSON.parse(row.item_ids) as string[],
    status: row.status,
    openedAt: row.opened_at,
    closedAt: row.closed_at,
  };
}

/** A test_attempts row as the domain sees it (both engines). */
export function toAttempt(row: AttemptRow): TestAttempt {
  return {
    runId: row.run_id,
    participantId: row.participant_id,
    answers: JSON.parse(row.answers) as Record<string, TestChoice>,
    position: row.position,
    submittedAt: row.submitted_at,
  };
}

/** Knowledge-test runs and the participants' attempts at them. */
export class SqliteTestRepository implements TestRepository {
  private readonly insertRunStatement;
  private readonly updateRunStatement;
  private readonly runsStatement;
  private readonly saveAttemptStatement;
  private readonly attemptsStatement;

  constructor(db: Db) {
    this.insertRunStatement = db.prepare(
      'INSERT INTO test_runs (id, session_id, kind, item_ids, status, opened_at, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.updateRunStatement = db.prepare('UPDATE test_runs SET status = ?, closed_at = ? WHERE id = ?');
    this.runsStatement = db.prepare<[string], RunRow>('SELECT * FROM test_runs WHERE session_id = ? ORDER BY rowid');
    this.saveAttemptStatement = db.prepare(
      `INSERT INTO test_attempts (run_id, participant_id, answers, position, submitted_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (run_id, participant_id) DO UPDATE SET answers = excluded.answers, position = excluded.position, submitted_at = excluded.submitted_at`,
    );
    this.attemptsStatement = db.prepare<[string], AttemptRow>(
      'SELECT * FROM test_attempts WHERE run_id IN (SELECT id FROM test_runs WHERE session_id = ?)',
    );
  }

  insertRun(run: TestRun): void {
    this.insertRunStatement.run(run.id, run.sessionId, run.kind, JSON.stringify(run.itemIds), run.status, run.openedAt, run.closedAt);
  }

  updateRun(run: TestRun): void {
    this.updateRunStatement.run(run.status, run.closedAt, run.id);
  }

  async runsOf(sessionId: string): Promise<TestRun[]> {
    return this.runsStatement.all(sessionId).map(toRun);
  }

  saveAttempt(attempt: TestAttempt): void {
    this.saveAttemptStatement.run(attempt.runId, attempt.participantId, JSON.stringify(attempt.answers), attempt.position, attempt.submittedAt);
  }

  async attemptsOfSession(sessionId: string): Promise<TestAttempt[]> {
    return this.attemptsStatement.all(sessionId).map(toAttempt);
  }
}
