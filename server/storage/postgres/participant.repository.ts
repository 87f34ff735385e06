import type { Participant, ParticipantStatus } from '../../domain/participant.ts';
import { toParticipant, type ParticipantRow } from '../participant.repository.ts';
import type { AuditEvent, ParticipantRepository } from '../storage.ts';
import type { Queryable } from './database.ts';

const COLUMNS = 'id, session_id, nickname, group_name, status, joined_at';

/** Participants and the audit log of what the presenter did to them, on PostgreSQL. */
export class PostgresParticipantRepository implements ParticipantRepository {
  constructor(private readonly reader: Queryable) {}

  async allInSession(sessionId: string): Promise<Participant[]> {
    const { rows } = await this.reader.query<ParticipantRow>(`SELECT ${COLUMNS} FROM participants WHERE session_id = $1 ORDER BY seq`, [sessionId]);
    return rows.map(toParticipant);
  }

  async tokenHashesOfSession(sessionId: string): Promise<Array<{ participantId: string; tokenHash: string }>> {
    const { rows } = await this.reader.query<{ participantId: string; tokenHash: string }>(
      'SELECT id AS "participantId", token_hash AS "tokenHash" FROM participants WHERE session_id = $1',
      [sessionId],
    );
    return rows;
  }

  async insert(db: Queryable, participant: Participant, tokenHash: string): Promise<void> {
    await db.query('INSERT INTO participants (id, session_id, token_hash, nickname, group_name, status, joined_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      participant.id,
      participant.sessionId,
      tokenHash,
      participant.nickname,
      participant.group,
      participant.status,
      participant.joinedAt,
    ]);
  }

  async setStatus(db: Queryable, participantId: string, status: ParticipantStatus): Promise<void> {
    await db.query('UPDATE participants SET status = $1 WHERE id = $2', [status, participantId]);
  }

  async audit(db: Queryable, event: AuditEvent): Promise<void> {
    await db.query('INSERT INTO audit_events (session_id, at, kind, detail) VALUES ($1, $2, $3, $4)', [event.sessionId, event.at, event.kind, JSON.stringify(event.detail)]);
  }
}
