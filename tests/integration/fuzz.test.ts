import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/contract.ts';
import { commands } from '../../shared/protocol.ts';
import { connectPresenter, joinParticipant, requireOk, type ClientSocket } from '../support/clients.ts';
import { useServerWithSession } from '../support/fixtures.ts';

const ctx = useServerWithSession();
const PAYLOADS = 10_000;
const errorCodes = new Set<string>(Object.values(ErrorCode));
/** Commands that only read: a random `{}` is a valid payload for them, and they change nothing. */
const READ_ONLY = new Set(['participant:list']);

/** Sends an event with any arguments and an acknowledgement, the way a broken or hostile client would. */
function sendRaw(socket: ClientSocket, event: string, args: unknown[]): Promise<unknown> {
  return (socket.timeout(5000) as unknown as { emitWithAck(event: string, ...args: unknown[]): Promise<unknown> }).emitWithAck(event, ...args);
}

describe('random and malformed commands', () => {
  it(`answers each of ${PAYLOADS} with an error code and changes nothing`, { timeout: 120_000 }, async () => {
    const code = ctx.session.session.code;
    const { socket: deck } = await connectPresenter(ctx.server.baseUrl, code, ctx.session.presenterKey);
    const phone = await joinParticipant(ctx.server.baseUrl, code);
    ctx.sockets.push(deck, phone.socket);
    requireOk(await deck.emitWithAck('deck:go-to', { slideId: 'ch1-3' }));
    const room = (await ctx.server.app.rooms.find(code))!;
    const stateOf = (): string =>
      JSON.stringify({ session: room.session, rounds: room.rounds, votes: room.votesIn(room.currentRound()!.id).size, tests: room.testRuns, participants: room.participantCount });
    const before = stateOf();

    const event = fc.oneof(fc.constantFrom(...Object.keys(commands)), fc.string({ maxLength: 20 }));
    const args = fc.array(fc.oneof(fc.anything(), fc.object(), fc.dictionary(fc.constantFrom('roundId', 'slideId', 'questionId', 'choice', 'kind', 'runId', 'itemId', 'position'), fc.anything())), { maxLength: 3 });
    const samples = fc.sample(fc.tuple(fc.boolean(), event, args), { numRuns: PAYLOADS, seed: 20261128 });
    const answers: Array<{ name: string; answer: unknown }> = [];
    for (let start = 0; start < samples.length; start += 250) {
      const batch = samples
        .slice(start, start + 250)
        .map(async ([isPresenter, name, payload]) => ({ name, answer: await sendRaw(isPresenter ? deck : phone.socket, name, payload) }));
      answers.push(...(await Promise.all(batch)));
    }
    const isRefusal = (answer: unknown): boolean =>
      typeof answer === 'object' && answer !== null && (answer as { ok?: unknown }).ok === false && errorCodes.has((answer as { error: { code: string } }).error.code);
    const isReadOnlyAnswer = (name: string, answer: unknown): boolean => READ_ONLY.has(name) && (answer as { ok?: unknown }).ok === true;
    const unexpected = answers.filter(({ name, answer }) => !isRefusal(answer) && !isReadOnlyAnswer(name, answer));
    expect(unexpected.slice(0, 3)).toEqual([]);
    expect(answers).toHaveLength(PAYLOADS);
    expect(stateOf()).toBe(before);
  });
});
