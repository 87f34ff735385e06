/** Tells the sockets of a room what changed: the room's notifier on the Socket.IO side. */
import type { ReadonlyRoom, RoomNotifier } from '../../live/session-room.ts';
import {
  allQaViews,
  currentTally,
  deckPosition,
  participantRoundView,
  participantSnapshot,
  participantTestView,
  presenterSnapshot,
  sessionSummary,
  publicQaViews,
  stageView,
  timerAnnouncement,
} from '../../live/projections.ts';
import type { ServerToClientEvents } from '../../../shared/contract.ts';
import { NO_DIAGNOSTICS, type Diagnostics } from '../../diagnostics.ts';
import { KeyedThrottle, realTimer, type ThrottleTimer } from './throttle.ts';
import { participantsRoom, presentersRoom, type KotaeServer } from './socket-types.ts';

/** How often the projector gets a new tally while votes arrive. */
const TALLY_INTERVAL_MS = 100;
/** How often the projector gets the participant count while people join. */
const PRESENCE_INTERVAL_MS = 250;
/** How often screens get the audience questions while questions and upvotes arrive. */
const QA_INTERVAL_MS = 150;

/** The notifier of every room; participantsChanged also covers a phone that (dis)connects. */
export interface RoomBroadcaster extends RoomNotifier {
  /** How many phones of the room are connected now. */
  connectedParticipants(room: ReadonlyRoom): number;
  /** How many sockets of the room (phones and presenter screens) are connected now. */
  connectedSockets(room: ReadonlyRoom): number;
  close(): void;
}

export interface RoomBroadcasterOptions {
  timer?: ThrottleTimer;
  diagnostics?: Diagnostics;
}

export function createRoomBroadcaster(io: KotaeServer, joinUrlOf: (code: string) => string, options: RoomBroadcasterOptions = {}): RoomBroadcaster {
  const timer = options.timer ?? realTimer;
  const diagnostics = options.diagnostics ?? NO_DIAGNOSTICS;
  const connectedParticipants = (room: ReadonlyRoom): number => io.sockets.adapter.rooms.get(participantsRoom(room))?.size ?? 0;
  const connectedPresenters = (room: ReadonlyRoom): number => io.sockets.adapter.rooms.get(presentersRoom(room))?.size ?? 0;
  /** A push to every phone of the room; the benchmark times it on the server's side. */
  const pushToParticipants = <Event extends 'round:changed' | 'test:changed'>(room: ReadonlyRoom, event: Event, ...payload: Parameters<ServerToClientEvents[Event]>): void => {
    const startedAt = diagnostics.isEnabled ? performance.now() : 0;
    io.to(participantsRoom(room)).emit(event, ...payload);
    if (diagnostics.isEnabled) diagnostics.fanOut(room.session.code, event, connectedParticipants(room), startedAt, performance.now());
  };
  const syncPresenters = (room: ReadonlyRoom): void => {
    io.to(presentersRoom(room)).emit('presenter:synced', presenterSnapshot(room, joinUrlOf(room.session.code), connectedParticipants(room)));
  };
  const tallies = new KeyedThrottle<ReadonlyRoom>(
    TALLY_INTERVAL_MS,
    (room) => {
      const tally = currentTally(room);
      if (tally) io.to(presentersRoom(room)).emit('tally:changed', tally);
    },
    timer,
  );
  const presence = new KeyedThrottle<ReadonlyRoom>(PRESENCE_INTERVAL_MS, syncPresenters, timer);
  const qa = new KeyedThrottle<ReadonlyRoom>(
    QA_INTERVAL_MS,
    (room) => {
      io.to(presentersRoom(room)).emit('qa:changed', allQaViews(room));
      io.to(participantsRoom(room)).emit('qa:changed', publicQaViews(room));
      // The pinned question's upvotes are shown on the projector.
      if (room.session.stage.pinnedQuestionId) io.to(presentersRoom(room)).emit('stage:changed', stageView(room));
    },
    timer,
  );

  const participantSockets = (room: ReadonlyRoom) =>
    [...(io.sockets.adapter.rooms.get(participantsRoom(room)) ?? [])]
      .map((socketId) => io.sockets.sockets.get(socketId))
      .filter((socket) => socket?.data.role === 'participant');
  /** Each phone gets its own snapshot: its vote in the round the deck returned to differs from the others'. */
  const syncEachParticipant = (room: ReadonlyRoom, only?: ReadonlySet<string>): void => {
    for (const socket of participantSockets(room)) {
      if (socket?.data.role !== 'participant') continue;
      const participant = room.participants.get(socket.data.participant.id) ?? socket.data.participant;
      if (only && !only.has(participant.id)) continue;
      socket.data.participant = participant;
      socket.emit('participant:synced', participantSnapshot(room, participant));
    }
  };

  return {
    deckMoved(room, chapterChanged) {
      const position = deckPosition(room);
      io.to(presentersRoom(room)).emit('deck:changed', position);
      if (!chapterChanged) return;
      io.to(participantsRoom(room)).emit('deck:changed', position);
      // Pacing is per part of the plan: presenter screens get it anew when the deck enters another.
      syncPresenters(room);
    },
    roundChanged(room, kind) {
      if (kind === 'returned') syncEachParticipant(room);
      else pushToParticipants(room, 'round:changed', participantRoundView(room));
      syncPresenters(room);
    },
    votesChanged: (room) => tallies.request(room),
    participantsChanged: (room) => presence.request(room),
    participantsAdmitted(room, participantIds) {
      syncEachParticipant(room, new Set(participantIds));
      syncPresenters(room);
    },
    participantsRemoved(room, participantIds) {
      const removed = new Set(participantIds);
      for (const socket of participantSockets(room)) {
        if (socket?.data.role === 'participant' && removed.has(socket.data.participant.id)) socket.disconnect(true);
      }
      syncPresenters(room);
    },
    testChanged(room, kind) {
      if (kind === 'opened') {
        const test = participantTestView(room, null);
        if (test) pushToParticipants(room, 'test:changed', test);
      } else if (kind === 'shown') {
        syncEachParticipant(room);
      }
      // Answers arrive as fast as people tap: presenters hear of them throttled, like joins.
      if (kind === 'progressed') presence.request(room);
      else syncPresenters(room);
    },
    sessionEnded(room) {
      io.to([participantsRoom(room), presentersRoom(room)]).emit('session:ended', sessionSummary(room.session));
      syncPresenters(room);
    },
    sessionDeleted(room) {
      io.in([participantsRoom(room), presentersRoom(room)]).disconnectSockets(true);
    },
    sessionMoved(room) {
      const everyone = [participantsRoom(room), presentersRoom(room)];
      io.to(everyone).emit('session:moved', {});
      io.in(everyone).disconnectSockets(true);
    },
    connectedParticipants,
    connectedSockets: (room) => connectedParticipants(room) + connectedPresenters(room),
    stageChanged(room, isTimerChanged) {
      io.to(presentersRoom(room)).emit('stage:changed', stageView(room));
      if (isTimerChanged) io.to(participantsRoom(room)).emit('timer:changed', timerAnnouncement(room));
    },
    qaChanged: (room) => qa.request(room),
    close() {
      tallies.close();
      presence.close();
      qa.close();
    },
  };
}
