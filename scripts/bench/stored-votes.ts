/**
 * Reads a round's votes straight from the server's database (the SQLite file, read-only, or the
 * PostgreSQL database), to check none was lost and none counted twice.
 */
import Database from 'better-sqlite3';
import pg from 'pg';

/** Where a server stores its votes. */
export type VoteStore = { engine: 'sqlite'; path: string } | { engine: 'postgres'; url: string };

export interface StoredVotes {
  rows: number;
  /** participant id -> stored choice */
  choices: Map<string, string>;
  /** Rows whose vote was changed at least once. */
  changedRows: number;
  /** Vote events stored more than once under the same vote id (a resend counted twice): must be 0. */
  duplicateEvents: number;
}

interface VoteRow {
  participant_id: string;
  choice: string;
  changes: number;
}

const VOTES_OF_ROUND = 'SELECT participant_id, choice, changes FROM votes WHERE round_id = $round';
/** Events beyond the first of each (participant, vote id): a resend the server stored again. */
const DUPLICATES_OF_ROUND = `
  SELECT COALESCE(SUM(copies - 1), 0) AS duplicates FROM (
    SELECT COUNT(*) AS copies FROM vote_events WHERE round_id = $round AND vote_id IS NOT NULL GROUP BY participant_id, vote_id
  ) AS grouped`;

function toStoredVotes(rows: VoteRow[], duplicateEvents: number): StoredVotes {
  return {
    rows: rows.length,
    choices: new Map(rows.map((row) => [row.participant_id, row.choice])),
    changedRows: rows.filter((row) => Number(row.changes) > 0).length,
    duplicateEvents,
  };
}

function readFromSqlite(databasePath: string, roundId: string): StoredVotes {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    const round = { round: roundId };
    const rows = db.prepare<[typeof round], VoteRow>(VOTES_OF_ROUND).all(round);
    const duplicates = db.prepare<[typeof round], { duplicates: number }>(DUPLICATES_OF_ROUND).get(round)?.duplicates ?? 0;
    return toStoredVotes(rows, Number(duplicates));
  } finally {
    db.close();
  }
}

async function readFromPostgres(url: string, roundId: string): Promise<StoredVotes> {
  const client = new pg.Client({ connectionString: url, application_name: 'kotae-bench-check' });
  await client.connect();
  try {
    const rows = (await client.query<VoteRow>(VOTES_OF_ROUND.replace('$round', '$1'), [roundId])).rows;
    const duplicates = (await client.query<{ duplicates: string }>(DUPLICATES_OF_ROUND.replace('$round', '$1'), [roundId])).rows[0]?.duplicates ?? '0';
    return toStoredVotes(rows, Number(duplicates));
  } finally {
    await client.end();
  }
}

export function readStoredVotes(store: VoteStore, roundId: string): Promise<StoredVotes> {
  return store.engine === 'sqlite' ? Promise.resolve(readFromSqlite(store.path, roundId)) : readFromPostgres(store.url, roundId);
}
