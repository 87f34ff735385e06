import type { AudienceQuestion, Upvote } from '../../domain/qa.ts';
import type { QaRepository } from '../storage.ts';
import type { Queryable } from './database.ts';

/** Audience questions and their upvotes, on PostgreSQL. */
export class PostgresQaRepository implements QaRepository {
  constructor(private readonly reader: Queryable) {}

  async questionsOf(sessionId: string): Promise<AudienceQuestion[]> {
    const { rows } = await this.reader.query<AudienceQuestion>(
      `SELECT id, session_id AS "sessionId", participant_id AS "participantId", text, nickname, status, asked_at AS "askedAt"
       FROM qa_questions WHERE session_id = $1 ORDER BY asked_at, seq`,
      [sessionId],
    );
    return rows;
  }

  async upvotesOf(sessionId: string): Promise<Upvote[]> {
    const { rows } = await this.reader.query<Upvote>(
      `SELECT question_id AS "questionId", participant_id AS "participantId", upvoted_at AS "upvotedAt" FROM qa_upvotes
       WHERE question_id IN (SELECT id FROM qa_questions WHERE session_id = $1)`,
      [sessionId],
    );
    return rows;
  }

  async insertQuestion(db: Queryable, question: AudienceQuestion): Promise<void> {
    await db.query('INSERT INTO qa_questions (id, session_id, participant_id, text, nickname, status, asked_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      question.id,
      question.sessionId,
      question.participantId,
      question.text,
      question.nickname,
      question.status,
      question.askedAt,
    ]);
  }

  async updateQuestion(db: Queryable, question: AudienceQuestion): Promise<void> {
    await db.query('UPDATE qa_questions SET status = $1 WHERE id = $2', [question.status, question.id]);
  }

  async saveUpvote(db: Queryable, upvote: Upvote): Promise<void> {
    await db.query('INSERT INTO qa_upvotes (question_id, participant_id, upvoted_at) VALUES ($1, $2, $3)', [upvote.questionId, upvote.participantId, upvote.upvotedAt]);
  }
}
