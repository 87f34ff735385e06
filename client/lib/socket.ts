import { io, type Socket } from 'socket.io-client';
import type { ServerToClientEvents } from '../../shared/contract.ts';
import type { ClientToServerEvents, HandshakeAuth } from '../../shared/protocol.ts';

export type KotaeClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Socket.IO asks for the handshake's auth each time its connection opens. With auth that is still to
 * come, only the latest of those requests sends the handshake once it is there: an earlier one belongs
 * to a connection that has closed meanwhile and must not connect twice.
 */
export function authWhenReady(auth: Promise<HandshakeAuth>): (send: (data: object) => void) => void {
  let latestRequest = 0;
  return (send) => {
    const request = ++latestRequest;
    void auth.then((ready) => {
      if (request === latestRequest) send(ready);
    });
  };
}

/**
 * A typed Socket.IO connection to this server, WebSocket first with long-polling as the fallback. With
 * auth that is still to come (a participant's token, while the join is under way), the connection
 * opens at once and its handshake waits for the auth: the round trips of opening it are already past.
 */
export function connectSocket(auth: HandshakeAuth | Promise<HandshakeAuth>): KotaeClientSocket {
  return io({ auth: auth instanceof Promise ? authWhenReady(auth) : auth, transports: ['websocket', 'polling'], reconnectionDelayMax: 3000 });
}

/** The error code the server put on a refused handshake. */
export function connectErrorCode(error: Error): string | undefined {
  return (error as Error & { data?: { code?: string } }).data?.code;
}
