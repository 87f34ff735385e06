import { z } from 'zod';
import { SessionSettings } from '../../shared/protocol.ts';
import type { DeckMove } from '../domain/pacing.ts';
import type { Session, SessionState } from '../domain/session.ts';
import type { Db } from './database.ts';
import type { SessionListing, SessionRepository, StoredSession } from './storage.ts';

/** A row of the sessions table. */
export interface SessionRow {
  id: string;
  code: string;
  title: string;
  course_id: string;
  variant_id: string;
  state: SessionState;
  current_slide_id: string | null;
  current_round_id: string | null;
  current_test_run_id: string | null;
  settings: string;
  stage: string;
  presenter_key_hash: string;
  organizer_key_hash: string;
  created_at: number;
}

/** The stored stage document; every field has a default, so '{}' (a session stored before it) is the empty stage. */
const StoredStage = z.object({
  joinQr: z.boolean().default(false),
  blackScreen: z.boolean().default(false),
  timer: z.object({ minutes: z.number(), startedAt: z.number(), endsAt: z.number() }).nullable().default(null),
  pinnedQuestionId: z.string().nullable().default(null),
});

/** A sessions row as the domain sees it (both engines store the same columns). */
export function toSession(row: SessionRow): StoredSession {
  return {
    id: row.id,
    code: row.code,
    title: row.title,
    courseId: row.course_id,
    variantId: row.variant_id,
    state: row.state,
    currentSlideId: row.current_slide_id,
    currentRoundId: row.current_round_id,
    currentTestRunId: row.current_test_run_id,
    settings: SessionSettings.parse(JSON.parse(row.settings)),
    stage: StoredStage.parse(JSON.parse(row.stage)),
    createdAt: row.created_at,
    presenterKeyHash: row.presenter_key_hash,
    organizerKeyHash: row.organizer_key_hash,
  };
}

export class SqliteSessionRepository implements SessionRepository {
  private readonly insertStatement;
  private readonly byCodeStatement;
  private readonly byIdStatement;
  private readonly updatePositionStatement;
  private readonly updatePresenterKeyStatement;
  private readonly listStatement;
  private readonly deleteStatements;
  private readonly updateStageStatement;
  private readonly updateSettingsStatement;
  private readonly appendMoveStatement;
  private readonly movesStatement;

  constructor(db: Db) {
    this.insertStatement = db.prepare(
      `INSERT INTO sessions (id, code, title, course_id, variant_id, state, current_slide_id, current_round_id, current_test_run_id, settings, stage, presenter_key_hash, organizer_key_hash, created_at)
       VALUES (@id, @code, @title, @courseId, @variantId, @state, @currentSlideId, @currentRoundId, @currentTestRunId, @settings, @stage, @presenterKeyHash, @organizerKeyHash, @createdAt)`,
    );
    this.byCodeStatement = db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE code = ?');
    this.byIdStatement = db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?');
    this.updatePositionStatement = db.prepare('UPDATE sessions SET state = ?, current_slide_id = ?, current_round_id = ?, current_test_run_id = ? WHERE id = ?');
    this.updatePresenterKeyStatement = db.prepare('UPDATE sessions SET presenter_key_hash = ? WHERE id = ?');
    this.listStatement = db.prepare<[], SessionRow & { participant_count: number; round_count: number; vote_count: number }>(
      `SELECT sessions.*,
         (SELECT COUNT(*) FROM participants WHERE session_id = sessions.id) AS participant_count,
         (SELECT COUNT(*) FROM rounds WHERE session_id = sessions.id) AS round_count,
         (SELECT COUNT(*) FROM votes WHERE round_id IN (SELECT id FROM rounds WHERE session_id = sessions.id)) AS vote_count
       FROM sessions ORDER BY created_at DESC, rowid DESC`,
    );
    // Children first, so the delete does not depend on foreign-key cascades; tables added later that
    // reference sessions(id) ON DELETE CASCADE go with the session row.
    this.deleteStatements = [
      'DELETE FROM vote_events WHERE round_id IN (SELECT id FROM rounds WHERE session_id = ?)',
      'DELETE FROM rounds WHERE session_id = ?',
      'DELETE FROM test_attempts WHERE run_id IN (SELECT id FROM test_runs WHERE session_id = ?)',
      'DELETE FROM test_runs WHERE session_id = ?',
      'DELETE FROM audit_events WHERE session_id = ?',
      'DELETE FROM qa_upvotes WHERE question_id IN (SELECT id FROM qa_questions WHERE session_id = ?)',
      'DELETE FROM qa_questions WHERE session_id = ?',
      'DELETE FROM deck_moves WHERE session_id = ?',
      'DELETE FROM participants WHERE session_id = ?',
      'DELETE FROM sessions WHERE id = ?',
    ].map((sql) => db.prepare<[string]>(sql));
    this.updateStageStatement = db.prepare('UPDATE sessions SET stage = ? WHERE id = ?');
    this.updateSettingsStatement = db.prepare('UPDATE sessions SET settings = ? WHERE id = ?');
    this.appendMoveStatement = db.prepare('INSERT INTO deck_moves (session_id, slide_id, moved_at) VALUES (?, ?, ?)');
    this.movesStatement = db.prepare<[string], DeckMove>('SELECT slide_id AS slideId, moved_at AS movedAt FROM deck_moves WHERE session_id = ? ORDER BY id');
  }

  insert(session: StoredSession): void {
    this.insertStatement.run({ ...session, settings: JSON.stringify(session.settings), stage: JSON.stringify(session.stage) });
  }

  async findByCode(code: string): Promise<StoredSession | undefined> {
    const row = this.byCodeStatement.get(code);
    return row && toSession(row);
  }

  async findById(id: string): Promise<StoredSession | undefined> {
    const row = this.byIdStatement.get(id);
    return row && toSession(row);
  }

  savePosition(session: Session): void {
    this.updatePositionStatement.run(session.state, session.currentSlideId, session.currentRoundId, session.currentTestRunId, session.id);
  }

  async list(): Promise<SessionListing[]> {
    return this.listStatement.all().map((row) => ({
      session: toSession(row),
      participants: row.participant_count,
      rounds: row.round_count,
      votes: row.vote_count,
    }));
  }

  savePresenterKeyHash(sessionId: string, presenterKeyHash: string): void {
    this.updatePresenterKeyStatement.run(presenterKeyHash, sessionId);
  }

  delete(sessionId: string): void {
    for (const statement of this.deleteStatements) statement.run(sessionId);
  }

  saveStage(session: Session): void {
    this.updateStageStatement.run(JSON.stringify(session.stage), session.id);
  }

  saveSettings(session: Session): void {
    this.updateSettingsStatement.run(JSON.stringify(session.settings), session.id);
  }

  appendMove(sessionId: string, move: DeckMove): void {
    this.appendMoveStatement.run(sessionId, move.slideId, move.movedAt);
  }

  async movesOf(sessionId: string): Promise<DeckMove[]> {
    return this.movesStatement.all(sessionId);
  }
}
