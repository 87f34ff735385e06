/**
 * The command table holds the socket contract together: these lines must fail to compile when a
 * handler is missing, answers the wrong shape, or an event has no schema (`npm run typecheck` runs
 * them; each @ts-expect-error fails the build when its error disappears).
 */
import { describe, expect, it } from 'vitest';
import type { Ack, DeckPosition } from '../../../shared/contract.ts';
import { commands, type ClientToServerEvents, type CommandName } from '../../../shared/protocol.ts';
import type { CommandHandlers } from '../../../server/transport/socket/command.ts';
import { deckHandlers } from '../../../server/transport/socket/deck.handlers.ts';
import { pollHandlers } from '../../../server/transport/socket/poll.handlers.ts';
import { qaHandlers } from '../../../server/transport/socket/qa.handlers.ts';
import { stageHandlers } from '../../../server/transport/socket/stage.handlers.ts';
import { testHandlers } from '../../../server/transport/socket/test.handlers.ts';
import { participantHandlers } from '../../../server/transport/socket/participant.handlers.ts';
import { createVoteHandlers } from '../../../server/transport/socket/vote.handlers.ts';
import { ParticipantConnections } from '../../../server/transport/socket/participant-connections.ts';
import { createRateLimits } from '../../../server/transport/rate-limits.ts';

const voteHandlers = createVoteHandlers(new ParticipantConnections(), createRateLimits());

// @ts-expect-error a handler table without vote:cast does not compile
const missingHandler: CommandHandlers = { ...deckHandlers, ...pollHandlers, ...testHandlers, ...participantHandlers, ...stageHandlers, ...qaHandlers };

const wrongAnswer: CommandHandlers = {
  ...pollHandlers,
  ...voteHandlers,
  ...testHandlers,
  ...participantHandlers,
  ...stageHandlers,
  ...qaHandlers,
  // @ts-expect-error deck:go-to must answer a DeckPosition, not a number
  'deck:go-to': async () => ({ ok: true, data: 42 }) satisfies Ack<number>,
};

const extraEvent: CommandHandlers = {
  ...deckHandlers,
  ...pollHandlers,
  ...voteHandlers,
  ...testHandlers,
  ...participantHandlers,
  ...stageHandlers,
  ...qaHandlers,
  // @ts-expect-error an event that is not in the command table has no place in the handlers
  'admin:drop-all': async () => ({ ok: true, data: null }),
};

// @ts-expect-error a client cannot emit an event that has no schema in the table
const unknownEvent: keyof ClientToServerEvents = 'admin:drop-all';

// @ts-expect-error a client cannot send deck:go-to without its slide id
const badPayload: Parameters<ClientToServerEvents['deck:go-to']>[0] = {};

const deckAnswer: Parameters<Parameters<ClientToServerEvents['deck:go-to']>[1]>[0] = {
  ok: true,
  data: { slideId: 'a', chapterId: null, chapterTitle: null } satisfies DeckPosition,
};

describe('the command table', () => {
  it('has exactly one handler per command, each for the sender role its entry names', () => {
    const handlers: CommandHandlers = { ...deckHandlers, ...pollHandlers, ...voteHandlers, ...testHandlers, ...participantHandlers, ...stageHandlers, ...qaHandlers };
    expect(Object.keys(handlers).sort()).toEqual((Object.keys(commands) as CommandName[]).sort());
    expect(Object.fromEntries(Object.entries(commands).map(([name, spec]) => [name, spec.role]))).toEqual({
      'deck:go-to': 'presenter',
      'poll:open': 'presenter',
      'poll:close': 'presenter',
      'poll:reveal': 'presenter',
      'vote:cast': 'participant',
      'test:open': 'presenter',
      'test:close': 'presenter',
      'test:answer': 'participant',
      'test:move': 'participant',
      'test:submit': 'participant',
      'participant:list': 'presenter',
      'participant:approve': 'presenter',
      'participant:remove': 'presenter',
      'session:end': 'presenter',
      'stage:set': 'presenter',
      'settings:set': 'presenter',
      'timer:start': 'presenter',
      'timer:stop': 'presenter',
      'qa:ask': 'participant',
      'qa:upvote': 'participant',
      'qa:moderate': 'presenter',
      'qa:pin': 'presenter',
    });
    expect([missingHandler, wrongAnswer, extraEvent, unknownEvent, badPayload, deckAnswer]).toHaveLength(6);
  });
});
