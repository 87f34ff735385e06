import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/protocol.ts';
import type { Participant } from '../../storage/participant.repository.ts';
import type { LiveSession } from '../../live/session-service.ts';

/** Who a socket is, settled once by the auth middleware. */
export type SocketData =
  | { role: 'presenter'; live: LiveSession }
  | { role: 'participant'; live: LiveSession; participant: Participant };

export type KotaeServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type KotaeSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export function presentersRoom(sessionId: string): string {
  return `session:${sessionId}:presenters`;
}

export function participantsRoom(sessionId: string): string {
  return `session:${sessionId}:participants`;
}
