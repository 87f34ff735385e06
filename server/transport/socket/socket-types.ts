import type { Server, Socket } from 'socket.io';
import type { ServerToClientEvents } from '../../../shared/contract.ts';
import type { ClientToServerEvents } from '../../../shared/protocol.ts';
import type { Participant } from '../../domain/participant.ts';
import type { ReadonlyRoom, SessionRoom } from '../../live/session-room.ts';

/** Who a socket is and which room it belongs to, settled once by the auth middleware. */
export type SocketData =
  | { role: 'presenter'; room: SessionRoom }
  | { role: 'participant'; room: SessionRoom; participant: Participant; socketId: string };

export type KotaeServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type KotaeSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export function presentersRoom(room: ReadonlyRoom): string {
  return `session:${room.session.id}:presenters`;
}

export function participantsRoom(room: ReadonlyRoom): string {
  return `session:${room.session.id}:participants`;
}
