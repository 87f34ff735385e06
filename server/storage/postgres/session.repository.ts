import type { DeckMove } from '../../domain/pacing.ts';
import type { Session } from '../../domain/session.ts';
import { toSession, type SessionRow } from '../session.repository.ts';
import type { SessionListing, SessionRepository, StoredSession } from '../storage.ts';
import type { Queryable } from './database.ts';

type ListingRow = SessionRow & { participant_count: number; round_count: number; vote_count: number };

// Children first, as on SQLite; tables added later that reference sessions(id) ON DELETE CASCADE go with the session row.
const DELETE_SESSION = [
  'DELETE FROM vote_events WHERE round_id IN (SELECT id FROM rounds WHERE session_id = $1)',
  'DELETE FROM rounds WHERE session_id = $1',
  'DELETE FROM test_attempts WHERE run_id IN (SELECT id FROM test_runs WHERE session_id = $1)',
  'DELETE FROM test_runs WHERE session_id = $1',
  'DELETE FROM audit_events WHERE session_id = $1',
  'DELETE FROM qa_upvotes WHERE question_id IN (SELECT id FROM qa_questions WHERE session_id = $1)',
  'DELETE FROM qa_questions WHERE session_id = $1',
  'DELETE FROM deck_moves WHERE session_id = $1',
  'DELETE FROM participants WHERE session_id = $1',
  'DELETE FROM sessions WHERE id = $1',
];

/** Sessions and their deck moves on PostgreSQL: reads through `reader`, writes on the transaction's connection. */
export class PostgresSessionRepository implements SessionRepository {
  constructor(private readonly reader: Queryable) {}

  async findByCode(code: string): Promise<StoredSession | undefined> {
    const { rows } = await this.reader.query<SessionRow>('SELECT * FROM sessions WHERE code = $1', [code]);
    return rows[0] && toSession(rows[0]);
  }

  async findById(id: string): Promise<StoredSession | undefined> {
    const { rows } = await this.reader.query<SessionRow>('SELECT * FROM sessions WHERE id = $1', [id]);
    return rows[0] && toSession(rows[0]);
  }

  async list(): Promise<SessionListing[]> {
    const { rows } = await this.reader.query<ListingRow>(
      `SELECT sessions.*,
         (SELECT COUNT(*) FROM participants WHERE session_id = sessions.id) AS participant_count,
         (SELECT COUNT(*) FROM rounds WHERE session_id = sessions.id) AS round_count,
         (SELECT COUNT(*) FROM votes WHERE round_id IN (SELECT id FROM rounds WHERE session_id = sessions.id)) AS vote_count
       FROM sessions ORDER BY created_at DESC, seq DESC`,
    );
    return rows.map((row) => ({ session: toSession(row), participants: row.participant_count, rounds: row.round_count, votes: row.vote_count }));
  }

  async movesOf(sessionId: string): Promise<DeckMove[]> {
    const { rows } = await this.reader.query<DeckMove>('SELECT slide_id AS "slideId", moved_at AS "movedAt" FROM deck_moves WHERE session_id = $1 ORDER BY id', [sessionId]);
    return rows;
  }

  async insert(db: Queryable, session: StoredSession): Promise<void> {
    await db.query(
      `INSERT INTO sessions (id, code, title, course_id, variant_id, state, current_slide_id, current_round_id, current_test_run_id, settings, stage, presenter_key_hash, organizer_key_hash, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        session.id,
        session.code,
        session.title,
        session.courseId,
        session.variantId,
        session.state,
        session.currentSlideId,
        session.currentRoundId,
        session.currentTestRunId,
        JSON.stringify(session.settings),
        JSON.stringify(session.stage),
        session.presenterKeyHash,
        session.organizerKeyHash,
        session.createdAt,
      ],
    );
  }

  async savePosition(db: Queryable, session: Session): Promise<void> {
    await db.query('UPDATE sessions SET state = $1, current_slide_id = $2, current_round_id = $3, current_test_run_id = $4 WHERE id = $5', [
      session.state,
      session.currentSlideId,
      session.currentRoundId,
      session.currentTestRunId,
      session.id,
    ]);
  }

  async saveStage(db: Queryable, session: Session): Promise<void> {
    await db.query('UPDATE sessions SET stage = $1 WHERE id = $2', [JSON.stringify(session.stage), session.id]);
  }

  async saveSettings(db: Queryable, session: Session): Promise<void> {
    await db.query('UPDATE sessions SET settings = $1 WHERE id = $2', [JSON.stringify(session.settings), session.id]);
  }

  async savePresenterKeyHash(db: Queryable, sessionId: string, presenterKeyHash: string): Promise<void> {
    await db.query('UPDATE sessions SET presenter_key_hash = $1 WHERE id = $2', [presenterKeyHash, sessionId]);
  }

  async delete(db: Queryable, sessionId: string): Promise<void> {
    for (const sql of DELETE_SESSION) await db.query(sql, [sessionId]);
  }

  async appendMove(db: Queryable, sessionId: string, move: DeckMove): Promise<void> {
    await db.query('INSERT INTO deck_moves (session_id, slide_id, moved_at) VALUES ($1, $2, $3)', [sessionId, move.slideId, move.movedAt]);
  }
}
