import type { CommandHandlers } from './command.ts';

export const testHandlers = {
  'test:open': (payload, { room }) => room.openTest(payload.kind),
  'test:close': (payload, { room }) => room.closeTest(payload.runId),
  'test:answer': (payload, { room, participant }) => room.answerTest(participant.id, payload.runId, payload.itemId, payload.choice),
  'test:move': (payload, { room, participant }) => room.moveInTest(participant.id, payload.runId, payload.position),
  'test:submit': (payload, { room, participant }) => room.submitTest(participant.id, payload.runId),
} satisfies Partial<CommandHandlers>;
