import type { CommandHandlers } from './command.ts';

export const deckHandlers = {
  'deck:go-to': (payload, { room }) => room.goTo(payload.slideId),
} satisfies Partial<CommandHandlers>;
