import { io, type Socket } from 'socket.io-client';
import type { ServerToClientEvents } from '../../shared/contract.ts';
import type { ClientToServerEvents, HandshakeAuth } from '../../shared/protocol.ts';

export type KotaeClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A typed Socket.IO connection to this server, WebSocket first with long-polling as the fallback. */
export function connectSocket(auth: HandshakeAuth): KotaeClientSocket {
  return io({ auth, transports: ['websocket', 'polling'], reconnectionDelayMax: 3000 });
}

/** The error code the server put on a refused handshake. */
export function connectErrorCode(error: Error): string | undefined {
  return (error as Error & { data?: { code?: string } }).data?.code;
}
