import { allow } from '../../domain/domain-error.ts';
import type { SessionService } from '../../live/session-service.ts';
import { onCommand } from './command.ts';
import type { KotaeSocket } from './socket-types.ts';

export function registerVoteHandlers(socket: KotaeSocket, service: SessionService): void {
  onCommand(socket, 'vote:cast', async (payload, { live, participant }) => {
    const decision = await service.castVote(live, participant.id, payload.roundId, payload.choice);
    return decision.ok ? allow({ roundId: decision.value.roundId, choice: decision.value.choice }) : decision;
  });
}
