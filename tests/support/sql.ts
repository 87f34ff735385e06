/**
 * The SQL tests need, over a second connection to a server's database: what was stored, and a way to
 * make the next write fail. The server itself sees storage only through its port.
 */
import path from 'node:path';
import Database from 'better-sqlite3';

export function openSql(dataDir: string): Database.Database {
  return new Database(path.join(dataDir, 'kotae.sqlite'));
}

function query<T>(dataDir: string, run: (db: Database.Database) => T): T {
  const db = openSql(dataDir);
  try {
    return run(db);
  } finally {
    db.close();
  }
}

/** How many participants have a stored vote in the round. */
export function countVoters(dataDir: string, roundId: string): number {
  return query(dataDir, (db) => (db.prepare('SELECT COUNT(DISTINCT participant_id) AS n FROM vote_events WHERE round_id = ?').get(roundId) as { n: number }).n);
}

/** Each participant's stored (latest) vote in the round. */
export function storedVotes(dataDir: string, roundId: string): Array<{ participantId: string; choice: string }> {
  return query(dataDir, (db) =>
    db.prepare('SELECT participant_id AS participantId, choice FROM votes WHERE round_id = ? ORDER BY cast_at').all(roundId),
  ) as Array<{ participantId: string; choice: string }>;
}

/** The stored rounds of the session with this join code, oldest first. */
export function storedRounds(dataDir: string, code: string): Array<{ questionId: string; number: number; status: string; closedBy: string | null }> {
  return query(dataDir, (db) =>
    db
      .prepare(
        `SELECT question_id AS questionId, number, status, closed_by AS closedBy FROM rounds
         WHERE session_id = (SELECT id FROM sessions WHERE code = ?) ORDER BY rowid`,
      )
      .all(code),
  ) as Array<{ questionId: string; number: number; status: string; closedBy: string | null }>;
}

/** Makes every later update of a table fail, as a full disk would. */
export function failUpdatesOf(dataDir: string, table: 'rounds' | 'sessions'): void {
  query(dataDir, (db) => db.exec(`CREATE TRIGGER fail_${table} BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`));
}
