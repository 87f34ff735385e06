import type { Round, Vote } from '../../domain/poll.ts';
import { toRound, type RoundRow } from '../poll.repository.ts';
import type { AppliedVoteId, PollRepository } from '../storage.ts';
import type { Queryable } from './database.ts';

/** A vote to append, with the id of the tap when the phone sent one. */
export interface VoteToSave {
  vote: Vote;
  voteId: string | null;
}

/** Rounds and their votes on PostgreSQL. */
export class PostgresPollRepository implements PollRepository {
  constructor(private readonly reader: Queryable) {}

  async roundsOf(sessionId: string): Promise<Round[]> {
    const { rows } = await this.reader.query<RoundRow>('SELECT * FROM rounds WHERE session_id = $1 ORDER BY seq', [sessionId]);
    return rows.map(toRound);
  }

  async votesOfSession(sessionId: string): Promise<Vote[]> {
    const { rows } = await this.reader.query<Vote>(
      `SELECT round_id AS "roundId", participant_id AS "participantId", choice, cast_at AS "castAt" FROM votes
       WHERE round_id IN (SELECT id FROM rounds WHERE session_id = $1)`,
      [sessionId],
    );
    return rows;
  }

  async voteIdsOfSession(sessionId: string): Promise<AppliedVoteId[]> {
    const { rows } = await this.reader.query<AppliedVoteId>(
      `SELECT round_id AS "roundId", participant_id AS "participantId", vote_id AS "voteId" FROM vote_events
       WHERE vote_id IS NOT NULL AND round_id IN (SELECT id FROM rounds WHERE session_id = $1)`,
      [sessionId],
    );
    return rows;
  }

  async insertRound(db: Queryable, round: Round): Promise<void> {
    await db.query(
      `INSERT INTO rounds (id, session_id, question_id, number, option_keys, status, opened_at, closed_at, revealed_at, closed_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [round.id, round.sessionId, round.questionId, round.number, JSON.stringify(round.optionKeys), round.status, round.openedAt, round.closedAt, round.revealedAt, round.closedBy],
    );
  }

  async updateRound(db: Queryable, round: Round): Promise<void> {
    await db.query('UPDATE rounds SET status = $1, closed_at = $2, revealed_at = $3, closed_by = $4 WHERE id = $5', [
      round.status,
      round.closedAt,
      round.revealedAt,
      round.closedBy,
      round.id,
    ]);
  }

  /**
   * Appends votes in their order, in one statement however many there are (a burst of a thousand votes
   * is one round trip, not a thousand); a vote whose id the participant already used in the round is
   * skipped, as on SQLite.
   */
  async saveVotes(db: Queryable, votes: readonly VoteToSave[]): Promise<void> {
    await db.query(
      `INSERT INTO vote_events (round_id, participant_id, choice, cast_at, vote_id)
       SELECT round_id, participant_id, choice, cast_at, vote_id
       FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[]) WITH ORDINALITY
         AS batch(round_id, participant_id, choice, cast_at, vote_id, position)
       ORDER BY position`,
      [
        votes.map(({ vote }) => vote.roundId),
        votes.map(({ vote }) => vote.participantId),
        votes.map(({ vote }) => vote.choice),
        votes.map(({ vote }) => vote.castAt),
        votes.map(({ voteId }) => voteId),
      ],
    );
  }
}
