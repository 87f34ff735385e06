import { ErrorCode } from '../../../shared/contract.ts';
import { consume, rateLimited, type RateLimits } from '../rate-limits.ts';
import type { CommandHandlers } from './command.ts';
import type { ParticipantConnections } from './participant-connections.ts';

export function createVoteHandlers(connections: ParticipantConnections, limits: RateLimits) {
  return {
    'vote:cast': async (payload, { room, participant, socketId }) => {
      if (!connections.isLatest(participant.id, socketId)) {
        return { ok: false, error: { code: ErrorCode.staleConnection, message: 'this phone has connected again; send the vote again' } };
      }
      const waitMs = await consume(limits.vote, participant.id);
      if (waitMs !== null) return { ok: false, error: rateLimited(waitMs) };
      return room.castVote(participant.id, payload.roundId, payload.choice, payload.voteId);
    },
  } satisfies Partial<CommandHandlers>;
}
