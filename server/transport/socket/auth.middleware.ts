import { ErrorCode } from '../../../shared/contract.ts';
import { HandshakeAuth } from '../../../shared/protocol.ts';
import type { RoomRegistry } from '../../live/room-registry.ts';
import type { KotaeSocket } from './socket-types.ts';

/** An error the client sees as `connect_error`, with the code in `data`. */
function rejection(code: string, message: string): Error & { data: { code: string } } {
  return Object.assign(new Error(message), { data: { code } });
}

/** Checks the handshake's role, join code and key or token, and records who the socket is and its room. */
export function createAuthMiddleware(rooms: RoomRegistry) {
  return (socket: KotaeSocket, next: (error?: Error) => void): void => {
    const parsed = HandshakeAuth.safeParse(socket.handshake.auth);
    if (!parsed.success) return next(rejection(ErrorCode.invalidPayload, 'handshake auth must give role, code and key or token'));
    const auth = parsed.data;
    const room = rooms.find(auth.code);
    if (!room) return next(rejection(ErrorCode.sessionNotFound, `no session with code ${auth.code}`));
    if (auth.role === 'presenter') {
      if (!rooms.isPresenter(room, auth.key)) return next(rejection(ErrorCode.unauthorized, 'wrong presenter key'));
      socket.data = { role: 'presenter', room };
      return next();
    }
    const participant = rooms.participantOf(room, auth.token);
    if (!participant) return next(rejection(ErrorCode.unauthorized, 'unknown participant token; join again'));
    socket.data = { role: 'participant', room, participant, socketId: socket.id };
    next();
  };
}
