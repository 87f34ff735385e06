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

/** The ids of a session's rounds and test runs, read before it is deleted, to look for what refers to them after. */
export interface SessionChildIds {
  roundIds: string[];
  runIds: string[];
  questionIds: string[];
}

export function childIdsOfSession(dataDir: string, sessionId: string): SessionChildIds {
  return query(dataDir, (db) => ({
    roundIds: (db.prepare('SELECT id FROM rounds WHERE session_id = ?').all(sessionId) as Array<{ id: string }>).map((row) => row.id),
    runIds: (db.prepare('SELECT id FROM test_runs WHERE session_id = ?').all(sessionId) as Array<{ id: string }>).map((row) => row.id),
    questionIds: (db.prepare('SELECT id FROM qa_questions WHERE session_id = ?').all(sessionId) as Array<{ id: string }>).map((row) => row.id),
  }));
}

/**
 * How many rows of every table are about the session with this id: tables with a session_id column,
 * and those that refer to its rounds (round_id), test runs (run_id) or audience questions (question_id). A table a later feature keys by
 * session is counted without a change here.
 */
export function rowsAboutSession(dataDir: string, sessionId: string, children: SessionChildIds): Record<string, number> {
  return query(dataDir, (db) => {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>;
    const counts: Record<string, number> = {};
    for (const { name } of tables) {
      const columns = (db.prepare(`PRAGMA table_info(${name})`).all() as Array<{ name: string }>).map((column) => column.name);
      const count = (column: string, values: readonly string[]): number =>
        values.length === 0 ? 0 : (db.prepare(`SELECT COUNT(*) AS n FROM ${name} WHERE ${column} IN (${values.map(() => '?').join(',')})`).get(...values) as { n: number }).n;
      if (name === 'sessions') counts[name] = count('id', [sessionId]);
      else if (columns.includes('session_id')) counts[name] = count('session_id', [sessionId]);
      else if (columns.includes('round_id')) counts[name] = count('round_id', children.roundIds);
      else if (columns.includes('run_id')) counts[name] = count('run_id', children.runIds);
      else if (columns.includes('question_id')) counts[name] = count('question_id', children.questionIds);
    }
    return counts;
  });
}

/** How many vote events (first votes, changes and anything else written) the round has. */
export function countVoteEvents(dataDir: string, roundId: string): number {
  return query(dataDir, (db) => (db.prepare('SELECT COUNT(*) AS n FROM vote_events WHERE round_id = ?').get(roundId) as { n: number }).n);
}
