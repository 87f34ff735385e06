import type { CommandHandlers } from './command.ts';

export const stageHandlers = {
  'stage:set': (payload, { room }) => room.setOverlays(payload),
  'settings:set': (payload, { room }) => room.setSettings(payload),
  'timer:start': (payload, { room }) => room.startTimer(payload.minutes),
  'timer:stop': (payload, { room }) => room.stopTimer(payload.startedAt),
} satisfies Partial<CommandHandlers>;
