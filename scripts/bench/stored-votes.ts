/** Reads a round's votes straight from the server's SQLite file, read-only, to check none was lost. */
import Database from 'better-sqlite3';

export interface StoredVotes {
  rows: number;
  /** participant id -> stored choice */
  choices: Map<string, string>;
  /** Rows whose vote was changed at least once. */
  changedRows: number;
}

export function readStoredVotes(databasePath: string, roundId: string): StoredVotes {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare<[string], { participant_id: string; choice: string; changes: number }>(
        'SELECT participant_id, choice, changes FROM votes WHERE round_id = ?',
      )
      .all(roundId);
    return {
      rows: rows.length,
      choices: new Map(rows.map((row) => [row.participant_id, row.choice])),
      changedRows: rows.filter((row) => row.changes > 0).length,
    };
  } finally {
    db.close();
  }
}
