import type { Participant, ParticipantStatus } from '../domain/participant.ts';
import type { Db } from './database.ts';
import type { AuditEvent, ParticipantRepository } from './storage.ts';

/** A row of the participants table (without the token hash). */
export interface ParticipantRow {
  id: string;
  session_id: string;
  nickname: string | null;
  group_name: string | null;
  status: ParticipantStatus;
  joined_at: number;
}

/** A participants row as the domain sees it (both engines). */
export function toParticipant(row: ParticipantRow): Participant {
  return { id: row.id, sessionId: row.session_id, nickname: row.nickname, group: row.group_name, status: row.status, joinedAt: row.joined_at };
}

export class SqliteParticipantRepository implements ParticipantRepository {
  private readonly insertStatement;
  private readonly inSessionStatement;
  private readonly tokenHashesStatement;
  private readonly setStatusStatement;
  private readonly auditStatement;

  constructor(db: Db) {
    this.insertStatement = db.prepare(
      'INSERT INTO participants (id, session_id, token_hash, nickname, group_name, status, joined_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.inSessionStatement = db.prepare<[string], ParticipantRow>(
      'SELECT id, session_id, nickname, group_name, status, joined_at FROM participants WHERE session_id = ? ORDER BY rowid',
    );
    this.tokenHashesStatement = db.prepare<[string], { participantId: string; tokenHash: string }>(
      'SELECT id AS participantId, token_hash AS tokenHash FROM participants WHERE session_id = ?',
    );
    this.setStatusStatement = db.prepare('UPDATE participants SET status = ? WHERE id = ?');
    this.auditStatement = db.prepare('INSERT INTO audit_events (session_id, at, kind, detail) VALUES (?, ?, ?, ?)');
  }

  insert(participant: Participant, tokenHash: string): void {
    this.insertStatement.run(participant.id, participant.sessionId, tokenHash, participant.nickname, participant.group, participant.status, participant.joinedAt);
  }

  setStatus(participantId: string, status: ParticipantStatus): void {
    this.setStatusStatement.run(status, participantId);
  }

  audit(event: AuditEvent): void {
    this.auditStatement.run(event.sessionId, event.at, event.kind, JSON.stringify(event.detail));
  }

  async allInSession(sessionId: string): Promise<Participant[]> {
    return this.inSessionStatement.all(sessionId).map(toParticipant);
  }

  async tokenHashesOfSession(sessionId: string): Promise<Array<{ participantId: string; tokenHash: string }>> {
    return this.tokenHashesStatement.all(sessionId);
  }
}
