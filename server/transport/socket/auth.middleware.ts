import { ErrorCode, type SessionHome } from '../../../shared/contract.ts';
import { HandshakeAuth } from '../../../shared/protocol.ts';
import type { RoomRegistry } from '../../live/room-registry.ts';
import { SessionMovedError } from '../../live/session-ownership.ts';
import { clientAddressOf, type TrustProxy } from '../client-address.ts';
import { blockedFor, consume, type RateLimits } from '../rate-limits.ts';
import type { Logger } from '../../logger.ts';
import type { KotaeSocket } from './socket-types.ts';

/** An error the client sees as `connect_error`, with the code (and with moved, the owner) in `data`. */
function rejection(code: string, message: string, owner?: SessionHome): Error & { data: { code: string; owner?: SessionHome } } {
  return Object.assign(new Error(message), { data: { code, ...(owner ? { owner } : {}) } });
}

/**
 * Checks the handshake's role, join code and key or token, and records who the socket is and its room.
 * Every refusal says why (connect_error with a code); an address refused too often must wait.
 */
export function createAuthMiddleware(rooms: RoomRegistry, limits: RateLimits, trustProxy: TrustProxy, logger: Logger) {
  const authenticate = createAuthentication(rooms, limits, trustProxy, logger);
  // Storage may fail to answer (a database that is restarting): the phone is told, and retries.
  return (socket: KotaeSocket, next: (error?: Error) => void): Promise<void> =>
    authenticate(socket, next).catch((error: unknown) => {
      // Not a refusal of the phone: it is told where its session runs, and goes there.
      if (error instanceof SessionMovedError) return next(rejection(ErrorCode.moved, error.message, error.owner));
      logger.error({ err: error }, 'a handshake could not be checked: storage did not answer');
      next(rejection(ErrorCode.internal, 'the server could not check this connection; try again'));
    });
}

function createAuthentication(rooms: RoomRegistry, limits: RateLimits, trustProxy: TrustProxy, logger: Logger) {
  return async (socket: KotaeSocket, next: (error?: Error) => void): Promise<void> => {
    const address = clientAddressOf(socket.request, trustProxy);
    const waitMs = await blockedFor(limits.failedHandshake, address);
    if (waitMs !== null) {
      logger.warn({ refusal: ErrorCode.rateLimited }, 'handshakes refused: too many failures from one address');
      return next(rejection(ErrorCode.rateLimited, `too many refused handshakes; try again in ${Math.ceil(waitMs / 1000)} s`));
    }
    const refuse = (code: string, message: string): void => {
      logger.info({ refusal: code }, 'a handshake was refused');
      void consume(limits.failedHandshake, address).finally(() => next(rejection(code, message)));
    };
    const parsed = HandshakeAuth.safeParse(socket.handshake.auth);
    if (!parsed.success) return refuse(ErrorCode.invalidPayload, 'handshake auth must give role, code and key or token');
    const auth = parsed.data;
    const room = await rooms.find(auth.code);
    if (!room) return refuse(ErrorCode.sessionNotFound, `no session with code ${auth.code}`);
    if (auth.role === 'presenter') {
      if (!rooms.isPresenter(room, auth.key)) return refuse(ErrorCode.unauthorized, 'wrong presenter key');
      socket.data = { role: 'presenter', room };
      return next();
    }
    const participant = await rooms.participantOf(room, auth.token);
    if (!participant) return refuse(ErrorCode.unauthorized, 'unknown participant token; join again');
    if (participant.status === 'removed') return next(rejection(ErrorCode.participantRemoved, 'the presenter removed this participant'));
    socket.data = { role: 'participant', room, participant, socketId: socket.id };
    next();
  };
}
