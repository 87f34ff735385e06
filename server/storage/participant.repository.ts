import type { Participant } from '../domain/participant.ts';
import type { Db } from './database.ts';
import type { ParticipantRepository } from './storage.ts';

interface ParticipantRow {
  id: string;
  session_id: string;
  nickname: string | null;
  group_name: string | null;
  joined_at: number;
}

function toParticipant(row: ParticipantRow): Participant {
  return { id: row.id, sessionId: row.session_id, nickname: row.nickname, group: row.group_name, joinedAt: row.joined_at };
}

export class SqliteParticipantRepository implements ParticipantRepository {
  private readonly insertStatement;
  private readonly byTokenStatement;
  private readonly inSessionStatement;

  constructor(db: Db) {
    this.insertStatement = db.prepare(
      'INSERT INTO participants (id, session_id, token_hash, nickname, group_name, joined_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.byTokenStatement = db.prepare<[string, string], ParticipantRow>(
      'SELECT id, session_id, nickname, group_name, joined_at FROM participants WHERE token_hash = ? AND session_id = ?',
    );
    this.inSessionStatement = db.prepare<[string], ParticipantRow>(
      'SELECT id, session_id, nickname, group_name, joined_at FROM participants WHERE session_id = ? ORDER BY rowid',
    );
  }

  insert(participant: Participant, tokenHash: string): void {
    this.insertStatement.run(participant.id, participant.sessionId, tokenHash, participant.nickname, participant.group, participant.joinedAt);
  }

  findByToken(sessionId: string, tokenHash: string): Participant | undefined {
    const row = this.byTokenStatement.get(tokenHash, sessionId);
    return row && toParticipant(row);
  }

  allInSession(sessionId: string): Participant[] {
    return this.inSessionStatement.all(sessionId).map(toParticipant);
  }
}
