import type { Round, RoundCloser, Vote } from '../domain/poll.ts';
import type { Db } from './database.ts';
import type { AppliedVoteId, PollRepository } from './storage.ts';

/** A row of the rounds table. */
export interface RoundRow {
  id: string;
  session_id: string;
  question_id: string;
  number: number;
  option_keys: string;
  status: Round['status'];
  opened_at: number;
  closed_at: number | null;
  revealed_at: number | null;
  closed_by: RoundCloser | null;
}

/** A rounds row as the domain sees it (both engines). */
export function toRound(row: RoundRow): Round {
  return {
    id: row.id,
    sessionId: row.session_id,
    questionId: row.question_id,
    number: row.number,
    optionKeys: JSON.parse(row.option_keys) as string[],
    status: row.status,
    openedAt: row.opened_at,
    closedAt: row.closed_at,
    revealedAt: row.revealed_at,
    closedBy: row.closed_by,
  };
}

/** Rounds and their votes. */
export class SqlitePollRepository implements PollRepository {
  private readonly insertRoundStatement;
  private readonly updateRoundStatement;
  private readonly roundsStatement;
  private readonly appendVoteStatement;
  private readonly votesStatement;
  private readonly voteIdsStatement;

  constructor(db: Db) {
    this.insertRoundStatement = db.prepare(
      `INSERT INTO rounds (id, session_id, question_id, number, option_keys, status, opened_at, closed_at, revealed_at, closed_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.updateRoundStatement = db.prepare('UPDATE rounds SET status = ?, closed_at = ?, revealed_at = ?, closed_by = ? WHERE id = ?');
    this.roundsStatement = db.prepare<[string], RoundRow>('SELECT * FROM rounds WHERE session_id = ? ORDER BY rowid');
    this.appendVoteStatement = db.prepare(
      `INSERT INTO vote_events (round_id, participant_id, choice, cast_at, vote_id) VALUES (?, ?, ?, ?, ?)`,
    );
    this.voteIdsStatement = db.prepare<[string], AppliedVoteId>(
      `SELECT round_id AS roundId, participant_id AS participantId, vote_id AS voteId FROM vote_events
       WHERE vote_id IS NOT NULL AND round_id IN (SELECT id FROM rounds WHERE session_id = ?)`,
    );
    this.votesStatement = db.prepare<[string], { round_id: string; participant_id: string; choice: string; cast_at: number }>(
      'SELECT round_id, participant_id, choice, cast_at FROM votes WHERE round_id IN (SELECT id FROM rounds WHERE session_id = ?)',
    );
  }

  insertRound(round: Round): void {
    this.insertRoundStatement.run(
      round.id,
      round.sessionId,
      round.questionId,
      round.number,
      JSON.stringify(round.optionKeys),
      round.status,
      round.openedAt,
      round.closedAt,
      round.revealedAt,
      round.closedBy,
    );
  }

  updateRound(round: Round): void {
    this.updateRoundStatement.run(round.status, round.closedAt, round.revealedAt, round.closedBy, round.id);
  }

  /** Every round of a session, oldest first. */
  async roundsOf(sessionId: string): Promise<Round[]> {
    return this.roundsStatement.all(sessionId).map(toRound);
  }

  /** Records a vote; a later vote of the same participant in the round replaces it; a resent vote id is ignored. */
  saveVote(vote: Vote, voteId: string | null): void {
    this.appendVoteStatement.run(vote.roundId, vote.participantId, vote.choice, vote.castAt, voteId);
  }

  async voteIdsOfSession(sessionId: string): Promise<AppliedVoteId[]> {
    return this.voteIdsStatement.all(sessionId);
  }

  async votesOfSession(sessionId: string): Promise<Vote[]> {
    return this.votesStatement
      .all(sessionId)
      .map((row) => ({ roundId: row.round_id, participantId: row.participant_id, choice: row.choice, castAt: row.cast_at }));
  }
}
