import type { CommandHandlers } from './command.ts';

export const pollHandlers = {
  'poll:open': (payload, { room }) => room.askQuestion(payload.questionId),
  'poll:close': (payload, { room }) => room.closeRound(payload.roundId),
  'poll:reveal': (payload, { room }) => room.revealRound(payload.roundId),
} satisfies Partial<CommandHandlers>;
