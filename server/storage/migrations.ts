/** Versioned schema changes, applied in order at start-up; PRAGMA user_version records the last one. */
export const migrations: ReadonlyArray<{ version: number; sql: string }> = [
  {
    version: 1,
    sql: `
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        course_id TEXT NOT NULL,
        variant_id TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('lobby', 'live', 'ended')),
        current_slide_id TEXT,
        presenter_key_hash TEXT NOT NULL,
        organizer_key_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE participants (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        token_hash TEXT NOT NULL UNIQUE,
        nickname TEXT,
        joined_at INTEGER NOT NULL
      );
      CREATE INDEX participants_by_session ON participants(session_id);
      CREATE TABLE rounds (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        question_id TEXT NOT NULL,
        number INTEGER NOT NULL,
        option_keys TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'closed', 'revealed')),
        opened_at INTEGER NOT NULL,
        closed_at INTEGER,
        revealed_at INTEGER
      );
      CREATE INDEX rounds_by_session ON rounds(session_id);
      CREATE TABLE votes (
        round_id TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
        participant_id TEXT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
        choice TEXT NOT NULL,
        cast_at INTEGER NOT NULL,
        changes INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (round_id, participant_id)
      ) WITHOUT ROWID;
    `,
  },
];
