import type { Round, Vote } from '../domain/poll.ts';
import type { Db } from './database.ts';

interface RoundRow {
  id: string;
  session_id: string;
  question_id: string;
  number: number;
  option_keys: string;
  status: Round['status'];
  opened_at: number;
  closed_at: number | null;
  revealed_at: number | null;
}

function toRound(row: RoundRow): Round {
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
  };
}

/** Rounds and their votes. */
export class PollRepository {
  private readonly insertRoundStatement;
  private readonly updateRoundStatement;
  private readonly roundsStatement;
  private readonly appendVoteStatement;
  private readonly votesStatement;
  private readonly countVotesStatement;

  constructor(db: Db) {
    this.insertRoundStatement = db.prepare(
      `INSERT INTO rounds (id, session_id, question_id, number, option_keys, status, opened_at, closed_at, revealed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.updateRoundStatement = db.prepare('UPDATE rounds SET status = ?, closed_at = ?, revealed_at = ? WHERE id = ?');
    this.roundsStatement = db.prepare<[string], RoundRow>('SELECT * FROM rounds WHERE session_id = ? ORDER BY rowid');
    this.appendVoteStatement = db.prepare(
      'INSERT INTO vote_events (round_id, participant_id, choice, cast_at) VALUES (?, ?, ?, ?)',
    );
    this.votesStatement = db.prepare<[string], { participant_id: string; choice: string; cast_at: number }>(
      'SELECT participant_id, choice, cast_at FROM votes WHERE round_id = ?',
    );
    this.countVotesStatement = db.prepare<[string], { count: number }>(
      'SELECT COUNT(DISTINCT participant_id) AS count FROM vote_events WHERE round_id = ?',
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
    );
  }

  updateRound(round: Round): void {
    this.updateRoundStatement.run(round.status, round.closedAt, round.revealedAt, round.id);
  }

  /** Every round of a session, oldest first. */
  roundsOf(sessionId: string): Round[] {
    return this.roundsStatement.all(sessionId).map(toRound);
  }

  /** Records a vote; a later vote of the same participant in the round replaces it. */
  saveVote(vote: Vote): void {
    this.appendVoteStatement.run(vote.roundId, vote.participantId, vote.choice, vote.castAt);
  }

  /** The current vote of each participant who voted in the round. */
  votesOf(roundId: string): Vote[] {
    return this.votesStatement
      .all(roundId)
      .map((row) => ({ roundId, participantId: row.participant_id, choice: row.choice, castAt: row.cast_at }));
  }

  countVotes(roundId: string): number {
    return this.countVotesStatement.get(roundId)?.count ?? 0;
  }
}
