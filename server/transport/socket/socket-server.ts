import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { deckPosition, type LiveSession, type SessionNotifier, type SessionService } from '../../live/session-service.ts';
import { currentTally, participantRoundView, participantSnapshot, presenterSnapshot } from '../../live/views.ts';
import { createAuthMiddleware } from './auth.middleware.ts';
import { answerUnknownEvents } from './command.ts';
import { registerDeckHandlers } from './deck.handlers.ts';
import { registerPollHandlers } from './poll.handlers.ts';
import { KeyedThrottle } from './throttle.ts';
import { registerVoteHandlers } from './vote.handlers.ts';
import { participantsRoom, presentersRoom, type KotaeServer } from './socket-types.ts';

/** How often the projector gets a new tally while votes arrive. */
const TALLY_INTERVAL_MS = 100;
/** How often the projector gets the participant count while people join. */
const PRESENCE_INTERVAL_MS = 250;

export interface SocketServerOptions {
  joinUrlOf(code: string): string;
}

export interface SocketTransport {
  io: KotaeServer;
  notifier: SessionNotifier;
  close(): Promise<void>;
}

/** Socket.IO on the HTTP server: authenticates every socket, routes commands, broadcasts changes. */
export function attachSocketServer(httpServer: HttpServer, service: SessionService, options: SocketServerOptions): SocketTransport {
  const io: KotaeServer = new Server(httpServer, {
    serveClient: false,
    perMessageDeflate: false,
    maxHttpBufferSize: 16 * 1024,
    pingInterval: 20_000,
    pingTimeout: 20_000,
  });
  const connectedParticipants = (live: LiveSession): number =>
    io.sockets.adapter.rooms.get(participantsRoom(live.session.id))?.size ?? 0;
  const sendPresenterSnapshot = (live: LiveSession): void => {
    const snapshot = presenterSnapshot(live, options.joinUrlOf(live.session.code), connectedParticipants(live));
    io.to(presentersRoom(live.session.id)).emit('presenter:synced', snapshot);
  };
  const withLive = (send: (live: LiveSession) => void) => (code: string) => {
    const live = service.findByCode(code);
    if (live) send(live);
  };
  const tallies = new KeyedThrottle(
    TALLY_INTERVAL_MS,
    withLive((live) => {
      const tally = currentTally(live);
      if (tally) io.to(presentersRoom(live.session.id)).emit('tally:changed', tally);
    }),
  );
  const presence = new KeyedThrottle(PRESENCE_INTERVAL_MS, withLive(sendPresenterSnapshot));
  const notifier: SessionNotifier = {
    roundChanged(live) {
      io.to(participantsRoom(live.session.id)).emit('round:changed', participantRoundView(live));
      sendPresenterSnapshot(live);
    },
    deckChanged(live, chapterChanged) {
      if (chapterChanged) io.to(participantsRoom(live.session.id)).emit('deck:changed', deckPosition(live));
    },
    votesChanged(live) {
      tallies.request(live.session.code);
    },
    participantsChanged(live) {
      presence.request(live.session.code);
    },
  };

  io.use(createAuthMiddleware(service));
  io.on('connection', (socket) => {
    const data = socket.data;
    const live = data.live;
    // Every command is registered on every socket: onCommand answers a wrong role with `forbidden`.
    registerDeckHandlers(socket, service);
    registerPollHandlers(socket, service);
    registerVoteHandlers(socket, service);
    answerUnknownEvents(socket);
    if (data.role === 'presenter') {
      void socket.join(presentersRoom(live.session.id));
      socket.emit('presenter:synced', presenterSnapshot(live, options.joinUrlOf(live.session.code), connectedParticipants(live)));
    } else {
      void socket.join(participantsRoom(live.session.id));
      socket.emit('participant:synced', participantSnapshot(live, data.participant));
      presence.request(live.session.code);
      socket.on('disconnect', () => presence.request(live.session.code));
    }
  });

  return {
    io,
    notifier,
    async close() {
      tallies.close();
      presence.close();
      await io.close();
    },
  };
}
