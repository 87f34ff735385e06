import { openDatabase, type Db } from './database.ts';
import { ParticipantRepository } from './participant.repository.ts';
import { PollRepository } from './poll.repository.ts';
import { SessionRepository } from './session.repository.ts';
import { WriteBatcher } from './write-batcher.ts';

/** The repositories over one database, and the batcher that commits live writes. */
export interface Storage {
  db: Db;
  sessions: SessionRepository;
  participants: ParticipantRepository;
  polls: PollRepository;
  batcher: WriteBatcher;
  close(): void;
}

export function openStorage(dataDir: string): Storage {
  const db = openDatabase(dataDir);
  const batcher = new WriteBatcher(db);
  return {
    db,
    sessions: new SessionRepository(db),
    participants: new ParticipantRepository(db),
    polls: new PollRepository(db),
    batcher,
    close() {
      batcher.flush();
      db.close();
    },
  };
}
