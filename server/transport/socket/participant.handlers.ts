import type { CommandHandlers } from './command.ts';

/** The presenter's hold on who takes part: approving, removing, and ending the session. */
export const participantHandlers = {
  'participant:list': (_payload, { room }) => room.listParticipants(),
  'participant:approve': (payload, { room }) => room.approveParticipants(payload.participantIds),
  'participant:remove': (payload, { room }) => room.removeParticipants(payload.participantIds),
  'session:end': (_payload, { room }) => room.end(),
} satisfies Partial<CommandHandlers>;
