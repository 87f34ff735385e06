import { describe, expect, it } from 'vitest';
import { castVote, closeRound, groupTallies, openRound, revealRound, roundShift, tallyOf, type Round } from '../../../server/domain/poll.ts';

function aRound(overrides: Partial<Round> = {}): Round {
  return {
    ...openRound({ id: 'r1', sessionId: 's1', questionId: 'q1', optionKeys: ['o', 'x'], earlierRounds: [] }, 1000),
    ...overrides,
  };
}

describe('poll rounds', () => {
  it('opens a round as number 1, then numbers a re-vote of the same question 2', () => {
    const first = openRound({ id: 'r1', sessionId: 's', questionId: 'q1', optionKeys: ['o', 'x'], earlierRounds: [] }, 1);
    const other = openRound({ id: 'r2', sessionId: 's', questionId: 'q2', optionKeys: ['o', 'x'], earlierRounds: [first] }, 2);
    const revote = openRound({ id: 'r3', sessionId: 's', questionId: 'q1', optionKeys: ['o', 'x'], earlierRounds: [first, other] }, 3);
    expect([first.number, other.number, revote.number]).toEqual([1, 1, 2]);
    expect(first).toMatchObject({ status: 'open', openedAt: 1, closedAt: null, revealedAt: null });
  });

  it('goes open -> closed -> revealed with the times of each step', () => {
    const closed = closeRound(aRound(), 'r1', 2000);
    expect(closed).toMatchObject({ ok: true, value: { status: 'closed', closedAt: 2000 } });
    if (!closed.ok) return;
    const revealed = revealRound(closed.value, 'r1', 3000);
    expect(revealed).toMatchObject({ ok: true, value: { status: 'revealed', closedAt: 2000, revealedAt: 3000 } });
  });

  it('reveals an open round by closing it at the same moment', () => {
    expect(revealRound(aRound(), 'r1', 5000)).toMatchObject({ ok: true, value: { status: 'revealed', closedAt: 5000, revealedAt: 5000 } });
  });

  it('refuses to close a closed round or to reveal twice', () => {
    expect(closeRound(aRound({ status: 'closed' }), 'r1', 1)).toMatchObject({ ok: false, error: { code: 'round_not_open' } });
    expect(revealRound(aRound({ status: 'revealed' }), 'r1', 1)).toMatchObject({ ok: false, error: { code: 'round_already_revealed' } });
  });

  it('refuses commands naming a round that is not the current one', () => {
    expect(closeRound(aRound(), 'other', 1)).toMatchObject({ ok: false, error: { code: 'round_not_found' } });
    expect(closeRound(null, 'r1', 1)).toMatchObject({ ok: false, error: { code: 'round_not_found' } });
    expect(castVote(aRound(), 'p1', 'other', 'o', 1)).toMatchObject({ ok: false, error: { code: 'round_not_found' } });
  });
});

describe('votes', () => {
  it('accepts a vote for one of the options of the open round', () => {
    expect(castVote(aRound(), 'p1', 'r1', 'o', 1500)).toEqual({
      ok: true,
      value: { roundId: 'r1', participantId: 'p1', choice: 'o', castAt: 1500 },
    });
  });

  it('refuses a choice that is not an option', () => {
    expect(castVote(aRound(), 'p1', 'r1', 'c', 1)).toMatchObject({ ok: false, error: { code: 'invalid_choice' } });
  });

  it('refuses a vote after the round is closed or revealed', () => {
    expect(castVote(aRound({ status: 'closed' }), 'p1', 'r1', 'o', 1)).toMatchObject({ ok: false, error: { code: 'round_not_open' } });
    expect(castVote(aRound({ status: 'revealed' }), 'p1', 'r1', 'o', 1)).toMatchObject({ ok: false, error: { code: 'round_not_open' } });
  });
});

describe('tally', () => {
  it('counts one vote per participant, a changed vote replacing the first', () => {
    const votes = new Map<string, string>();
    votes.set('p1', 'o');
    votes.set('p2', 'x');
    votes.set('p3', 'o');
    votes.set('p1', 'x');
    expect(tallyOf(aRound(), votes.values(), 10)).toEqual({ roundId: 'r1', counts: { o: 1, x: 2 }, voted: 3, participants: 10 });
  });

  it('lists every option, at zero when nobody chose it', () => {
    expect(tallyOf(aRound({ optionKeys: ['a', 'b', 'c'] }), [], 4).counts).toEqual({ a: 0, b: 0, c: 0 });
  });
});

describe('groups and re-votes', () => {
  const groups = ['1班', '2班'];
  const groupOf = (participantId: string): string | null => ({ p1: '1班', p2: '1班', p3: '2班', p4: null })[participantId] ?? null;

  it('tallies each group in the session’s order, leaving out participants without one', () => {
    const votes = new Map([
      ['p1', 'o'],
      ['p2', 'x'],
      ['p3', 'o'],
      ['p4', 'o'],
    ]);
    expect(groupTallies(aRound(), votes, groupOf, groups)).toEqual([
      { group: '1班', counts: { o: 1, x: 1 }, voted: 2 },
      { group: '2班', counts: { o: 1, x: 0 }, voted: 1 },
    ]);
  });

  it('shows how many changed their answer between two rounds, in which direction, overall and per group', () => {
    const first = new Map([
      ['p1', 'x'],
      ['p2', 'x'],
      ['p3', 'o'],
      ['p4', 'x'],
    ]);
    const second = new Map([
      ['p1', 'o'],
      ['p2', 'x'],
      ['p3', 'x'],
      ['p5', 'o'],
    ]);
    const shift = roundShift(aRound(), first, second, groupOf, groups);
    expect(shift).toMatchObject({ previousNumber: 1, previousCounts: { o: 1, x: 3 }, previousVoted: 4, votedBoth: 3, changed: 2 });
    expect(shift.transitions).toEqual(
      expect.arrayContaining([
        { from: 'x', to: 'o', count: 1 },
        { from: 'o', to: 'x', count: 1 },
      ]),
    );
    expect(shift.groups).toEqual([
      { group: '1班', votedBoth: 2, changed: 1 },
      { group: '2班', votedBoth: 1, changed: 1 },
    ]);
  });
});
