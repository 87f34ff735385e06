import { io, type Socket } from 'socket.io-client';
import type { ServerToClientEvents } from '../../shared/contract.ts';
import type { ClientToServerEvents, HandshakeAuth } from '../../shared/protocol.ts';
import { followOwner, refusalOf, type SessionRoute } from './session-home.ts';

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
 * A typed Socket.IO connection to the node that runs the session of `route`, WebSocket first with
 * long-polling as the fallback; it follows the session when it moves to another node (session-home.ts).
 * With auth that is still to come (a participant's token, while the join is under way), the connection
 * opens at once and its handshake waits for the auth: the round trips of opening it are already past.
 */
export function connectSocket(route: SessionRoute, auth: HandshakeAuth | Promise<HandshakeAuth>): KotaeClientSocket {
  const socket: KotaeClientSocket = io({
    auth: auth instanceof Promise ? authWhenReady(auth) : auth,
    transports: ['websocket', 'polling'],
    reconnectionDelayMax: 3000,
    // Connected once `home` has answered; its own manager, as the node it names is per session.
    autoConnect: false,
    forceNew: true,
  });
  followOwner(socket, route);
  return socket;
}

/** The error code the server put on a refused handshake. */
export function connectErrorCode(error: Error): string | undefined {
  return refusalOf(error)?.code;
}
