import type { CommandHandlers } from './command.ts';

export const qaHandlers = {
  'qa:ask': (payload, { room, participant }) => room.askAudienceQuestion(participant, payload.text, payload.withNickname),
  'qa:upvote': (payload, { room, participant }) => room.upvoteQuestion(participant.id, payload.questionId),
  'qa:moderate': (payload, { room }) => room.moderateQuestion(payload.questionId, payload.status),
  'qa:pin': (payload, { room }) => room.pinQuestion(payload.questionId, payload.pinned),
} satisfies Partial<CommandHandlers>;
