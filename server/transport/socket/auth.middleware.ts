import { ErrorCode, HandshakeAuth } from '../../../shared/protocol.ts';
import type { SessionService } from '../../live/session-service.ts';
import type { KotaeSocket } from './socket-types.ts';

/** An error the client sees as `connect_error`, with the code in `data`. */
function rejection(code: string, message: string): Error & { data: { code: string } } {
  return Object.assign(new Error(message), { data: { code } });
}

/** Checks the handshake's role, join code and key or token, and records who the socket is. */
export function createAuthMiddleware(service: SessionService) {
  return (socket: KotaeSocket, next: (error?: Error) => void): void => {
    const parsed = HandshakeAuth.safeParse(socket.handshake.auth);
    if (!parsed.success) return next(rejection(ErrorCode.invalidPayload, 'handshake auth must give role, code and key or token'));
    const auth = parsed.data;
    const live = service.findByCode(auth.code);
    if (!live) return next(rejection(ErrorCode.sessionNotFound, `no session with code ${auth.code}`));
    if (auth.role === 'presenter') {
      if (!service.findForPresenter(auth.code, auth.key)) return next(rejection(ErrorCode.unauthorized, 'wrong presenter key'));
      socket.data = { role: 'presenter', live };
      return next();
    }
    const participant = service.findParticipant(live, auth.token);
    if (!participant) return next(rejection(ErrorCode.unauthorized, 'unknown participant token; join again'));
    socket.data = { role: 'participant', live, participant };
    next();
  };
}
