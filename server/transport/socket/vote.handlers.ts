import { ErrorCode } from '../../../shared/contract.ts';
import type { CommandHandlers } from './command.ts';
import type { ParticipantConnections } from './participant-connections.ts';

export function createVoteHandlers(connections: ParticipantConnections) {
  return {
    'vote:cast': async (payload, { room, participant, socketId }) => {
      if (!connections.isLatest(participant.id, socketId)) {
        return { ok: false, error: { code: ErrorCode.staleConnection, message: 'this phone has connected again; send the vote again' } };
      }
      return room.castVote(participant.id, payload.roundId, payload.choice);
    },
  } satisfies Partial<CommandHandlers>;
}
