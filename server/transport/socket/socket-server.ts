import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions } from 'socket.io';
import type { RoomRegistry } from '../../live/room-registry.ts';
import { participantSnapshot, presenterSnapshot } from '../../live/projections.ts';
import { createAuthMiddleware } from './auth.middleware.ts';
import { registerCommands, type CommandGate, type CommandHandlers } from './command.ts';
import type { TrustProxy } from '../client-address.ts';
import type { RateLimits } from '../rate-limits.ts';
import type { Diagnostics } from '../../diagnostics.ts';
import type { Logger } from '../../logger.ts';
import { deckHandlers } from './deck.handlers.ts';
import { ParticipantConnections } from './participant-connections.ts';
import { participantHandlers } from './participant.handlers.ts';
import { pollHandlers } from './poll.handlers.ts';
import { qaHandlers } from './qa.handlers.ts';
import { testHandlers } from './test.handlers.ts';
import type { RoomBroadcaster } from './room-broadcaster.ts';
import { stageHandlers } from './stage.handlers.ts';
import { createVoteHandlers } from './vote.handlers.ts';
import { participantsRoom, presentersRoom, type KotaeServer } from './socket-types.ts';

/** The limits a crowd of phones on venue Wi-Fi needs (the bench's bare baseline server uses them too). */
export const SOCKET_SERVER_OPTIONS = {
  serveClient: false,
  perMessageDeflate: false,
  maxHttpBufferSize: 16 * 1024,
  pingInterval: 20_000,
  pingTimeout: 20_000,
} as const satisfies Partial<ServerOptions>;

/** Socket.IO on the HTTP server. */
export function createSocketServer(httpServer: HttpServer): KotaeServer {
  return new Server(httpServer, SOCKET_SERVER_OPTIONS);
}

export interface RoomServing {
  rooms: RoomRegistry;
  broadcaster: RoomBroadcaster;
  gate: CommandGate;
  limits: RateLimits;
  trustProxy: TrustProxy;
  logger: Logger;
  joinUrlOf(code: string): string;
  diagnostics: Diagnostics;
}

/** Authenticates every socket into its room, runs the command table and sends each (re)connect a snapshot. */
export function serveRooms(io: KotaeServer, { rooms, broadcaster, gate, limits, trustProxy, logger, joinUrlOf, diagnostics }: RoomServing): void {
  const connections = new ParticipantConnections();
  /** Every command of the table with its handler. */
  const handlers: CommandHandlers = {
    ...deckHandlers,
    ...pollHandlers,
    ...createVoteHandlers(connections, limits),
    ...testHandlers,
    ...participantHandlers,
    ...stageHandlers,
    ...qaHandlers,
  };
  io.use(createAuthMiddleware(rooms, limits, trustProxy, logger));
  io.on('connection', async (socket) => {
    const data = socket.data;
    const room = data.room;
    registerCommands(socket, handlers, gate, logger, diagnostics);
    socket.on('disconnect', () => rooms.markUsed(room));
    if (data.role === 'presenter') {
      void socket.join(presentersRoom(room));
      const connected = io.sockets.adapter.rooms.get(participantsRoom(room))?.size ?? 0;
      socket.emit('presenter:synced', presenterSnapshot(room, joinUrlOf(room.session.code), connected));
      return;
    }
    connections.connected(data.participant.id, socket.id);
    socket.on('disconnect', () => {
      connections.disconnected(data.participant.id, socket.id);
      broadcaster.participantsChanged(room);
    });
    void socket.join(participantsRoom(room));
    broadcaster.participantsChanged(room);
    // Votes accepted before this connection are committed first, so the snapshot shows them.
    await room.settled();
    if (socket.connected) socket.emit('participant:synced', participantSnapshot(room, data.participant));
  });
}
