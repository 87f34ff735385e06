import type { CommandHandlers } from './command.ts';

export const participantHandlers = {
  'participant:list': (_payload, { room }) => room.listParticipants(),
  'participant:approve': (payload, { room }) => room.approveParticipants(payload.participantIds),
  'participant:remove': (payload, { room }) => room.removeParticipants(payload.participantIds),
} satisfies Partial<CommandHandlers>;
