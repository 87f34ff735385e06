import type { SessionService } from '../../live/session-service.ts';
import { onCommand } from './command.ts';
import type { KotaeSocket } from './socket-types.ts';

export function registerDeckHandlers(socket: KotaeSocket, service: SessionService): void {
  onCommand(socket, 'deck:go-to', (payload, { live }) => service.goTo(live, payload.slideId));
}
