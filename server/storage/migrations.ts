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
  {
    // Votes become an append-only log: a vote or a change of vote is one insert at the end of the
    // table, so a batch commit writes a few pages instead of one per participant. The current vote
    // of each participant is the latest event, which the votes view derives.
    version: 2,
    sql: `
      CREATE TABLE vote_events (
        id INTEGER PRIMARY KEY,
        round_id TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
        participant_id TEXT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
        choice TEXT NOT NULL,
        cast_at INTEGER NOT NULL
      );
      CREATE INDEX vote_events_by_round ON vote_events(round_id, id);
      INSERT INTO vote_events (round_id, participant_id, choice, cast_at)
        SELECT round_id, participant_id, choice, cast_at FROM votes ORDER BY cast_at;
      DROP TABLE votes;
      CREATE VIEW votes AS
        SELECT round_id, participant_id, choice, cast_at, changes FROM (
          SELECT round_id, participant_id, choice, cast_at,
            COUNT(*) OVER (PARTITION BY round_id, participant_id) - 1 AS changes,
            ROW_NUMBER() OVER (PARTITION BY round_id, participant_id ORDER BY id DESC) AS recency
          FROM vote_events
        )
        WHERE recency = 1;
    `,
  },
  {
    // The deck and round rules live on the server: the session records which round the room is on
    // (a deck that walks back shows an earlier round), and a round records who closed it, so leftovers
    // closed by moving on can be told from results.
    version: 3,
    sql: `
      ALTER TABLE sessions ADD COLUMN current_round_id TEXT;
      ALTER TABLE rounds ADD COLUMN closed_by TEXT CHECK (closed_by IN ('presenter', 'moved-on'));
      UPDATE rounds SET closed_by = 'presenter' WHERE status <> 'open';
      UPDATE sessions SET current_round_id =
        (SELECT id FROM rounds WHERE rounds.session_id = sessions.id ORDER BY rowid DESC LIMIT 1);
    `,
  },
  {
    // A session's settings (groups, and what later features add) as one JSON document, parsed with
    // the SessionSettings schema, so a new setting needs no migration.
    version: 4,
    sql: `ALTER TABLE sessions ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';`,
  },
  {
    // The presenter console: the stage (overlays, timer, pinned question) as one JSON document on the
    // session; the log of deck moves, for pacing against the plan; audience questions and their upvotes
    // (one row per participant and question, so a count is derived, never bumped).
    version: 5,
    sql: `
      ALTER TABLE sessions ADD COLUMN stage TEXT NOT NULL DEFAULT '{}';
      CREATE TABLE deck_moves (
        id INTEGER PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        slide_id TEXT NOT NULL,
        moved_at INTEGER NOT NULL
      );
      CREATE INDEX deck_moves_by_session ON deck_moves(session_id, id);
      CREATE TABLE qa_questions (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        participant_id TEXT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        nickname TEXT,
        status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'hidden', 'answered')),
        asked_at INTEGER NOT NULL
      );
      CREATE INDEX qa_questions_by_session ON qa_questions(session_id, asked_at);
      CREATE TABLE qa_upvotes (
        question_id TEXT NOT NULL REFERENCES qa_questions(id) ON DELETE CASCADE,
        participant_id TEXT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
        upvoted_at INTEGER NOT NULL,
        PRIMARY KEY (question_id, participant_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    // Organizer logins (the admin page): the cookie's token is kept as a hash, with the CSRF token its
    // requests must carry and an expiry, so a restart keeps people logged in and a stolen database
    // holds no usable cookie.
    version: 6,
    sql: `
      CREATE TABLE admin_logins (
        token_hash TEXT PRIMARY KEY,
        csrf_token TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      );
    `,
  },
  {
    // The workshop: a participant's group, the knowledge test and the pre-test. An attempt is one row
    // per participant and run, replaced as the answers are saved. Version 5 and 6 are taken by the
    // presenter console and the organizer.
    version: 7,
    sql: `
      ALTER TABLE participants ADD COLUMN group_name TEXT;
      ALTER TABLE sessions ADD COLUMN current_test_run_id TEXT;
      CREATE TABLE test_runs (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('pre', 'post')),
        item_ids TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
        opened_at INTEGER NOT NULL,
        closed_at INTEGER
      );
      CREATE INDEX test_runs_by_session ON test_runs(session_id);
      CREATE TABLE test_attempts (
        run_id TEXT NOT NULL REFERENCES test_runs(id) ON DELETE CASCADE,
        participant_id TEXT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
        answers TEXT NOT NULL,
        position INTEGER NOT NULL,
        submitted_at INTEGER,
        PRIMARY KEY (run_id, participant_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    // One participant, one voice: joins beyond the expected headcount wait for the presenter's
    // approval, and a removed participant's votes drop out of every tally (the audit log keeps them).
    version: 8,
    sql: `
      ALTER TABLE participants ADD COLUMN status TEXT NOT NULL DEFAULT 'admitted' CHECK (status IN ('admitted', 'pending', 'removed'));
      CREATE TABLE audit_events (
        id INTEGER PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        detail TEXT NOT NULL
      );
      CREATE INDEX audit_events_by_session ON audit_events(session_id, id);
      DROP VIEW votes;
      CREATE VIEW votes AS
        SELECT round_id, participant_id, choice, cast_at, changes FROM (
          SELECT round_id, participant_id, choice, cast_at,
            COUNT(*) OVER (PARTITION BY round_id, participant_id) - 1 AS changes,
            ROW_NUMBER() OVER (PARTITION BY round_id, participant_id ORDER BY id DESC) AS recency
          FROM vote_events
          WHERE participant_id NOT IN (SELECT id FROM participants WHERE status = 'removed')
        )
        WHERE recency = 1;
    `,
  },
  {
    // Idempotent votes: a vote carries the id the phone made for the tap; a resend of it (after a
    // reconnect, or after a restart) is not a second event. Votes stored before have no id.
    version: 9,
    sql: `
      ALTER TABLE vote_events ADD COLUMN vote_id TEXT;
    `,
  },
];
