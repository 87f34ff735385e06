import { allow, type Decision } from '../../domain/domain-error.ts';
import type { Round } from '../../domain/poll.ts';
import type { LiveSession, SessionService } from '../../live/session-service.ts';
import { presenterRoundView } from '../../live/views.ts';
import type { PresenterRoundView } from '../../../shared/protocol.ts';
import { onCommand } from './command.ts';
import type { KotaeSocket } from './socket-types.ts';

async function asPresenterView(live: LiveSession, change: Promise<Decision<Round>>): Promise<Decision<PresenterRoundView>> {
  const decision = await change;
  if (!decision.ok) return decision;
  const view = presenterRoundView(live);
  if (!view) throw new Error('a round was changed but the session has none');
  return allow(view);
}

export function registerPollHandlers(socket: KotaeSocket, service: SessionService): void {
  onCommand(socket, 'poll:open', (payload, { live }) => asPresenterView(live, service.openPoll(live, payload.questionId)));
  onCommand(socket, 'poll:close', (payload, { live }) => asPresenterView(live, service.closePoll(live, payload.roundId)));
  onCommand(socket, 'poll:reveal', (payload, { live }) => asPresenterView(live, service.revealPoll(live, payload.roundId)));
}
