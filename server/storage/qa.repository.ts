import type { AudienceQuestion, Upvote } from '../domain/qa.ts';
import type { Db } from './database.ts';
import type { QaRepository } from './storage.ts';

/** Audience questions and their upvotes. */
export class SqliteQaRepository implements QaRepository {
  private readonly insertStatement;
  private readonly updateStatement;
  private readonly questionsStatement;
  private readonly upvoteStatement;
  private readonly upvotesStatement;

  constructor(db: Db) {
    this.insertStatement = db.prepare(
      `INSERT INTO qa_questions (id, session_id, participant_id, text, nickname, status, asked_at)
       VALUES (@id, @sessionId, @participantId, @text, @nickname, @status, @askedAt)`,
    );
    this.updateStatement = db.prepare('UPDATE qa_questions SET status = ? WHERE id = ?');
    this.questionsStatement = db.prepare<[string], AudienceQuestion>(
      `SELECT id, session_id AS sessionId, participant_id AS participantId, text, nickname, status, asked_at AS askedAt
       FROM qa_questions WHERE session_id = ? ORDER BY asked_at, rowid`,
    );
    this.upvoteStatement = db.prepare('INSERT INTO qa_upvotes (question_id, participant_id, upvoted_at) VALUES (?, ?, ?)');
    this.upvotesStatement = db.prepare<[string], Upvote>(
      `SELECT question_id AS questionId, participant_id AS participantId, upvoted_at AS upvotedAt FROM qa_upvotes
       WHERE question_id IN (SELECT id FROM qa_questions WHERE session_id = ?)`,
    );
  }

  insertQuestion(question: AudienceQuestion): void {
    this.insertStatement.run(question);
  }

  updateQuestion(question: AudienceQuestion): void {
    this.updateStatement.run(question.status, question.id);
  }

  async questionsOf(sessionId: string): Promise<AudienceQuestion[]> {
    return this.questionsStatement.all(sessionId);
  }

  saveUpvote(upvote: Upvote): void {
    this.upvoteStatement.run(upvote.questionId, upvote.participantId, upvote.upvotedAt);
  }

  async upvotesOf(sessionId: string): Promise<Upvote[]> {
    return this.upvotesStatement.all(sessionId);
  }
}
