import { describe, expect, it } from 'vitest';
import { settleTap, type Tap } from '../../../client/join/unconfirmed-vote.ts';
import type { ParticipantRoundView, RoundStatus } from '../../../shared/contract.ts';

const TAP: Tap = { roundId: 'round-1', choice: 'o', voteId: 'v'.repeat(22), isResend: false };

function roundOf(roundId: string, status: RoundStatus): ParticipantRoundView {
  return { roundId, questionId: 'q-1', kind: 'ox', number: 1, prompt: '?', facts: null, options: [], status, reveal: null };
}

describe('a vote whose answer never came, once the snapshot is there', () => {
  it('shows as recorded when the snapshot has its choice in its round', () => {
    expect(settleTap(TAP, { round: roundOf('round-1', 'open'), myChoice: 'o' })).toBe('recorded');
    expect(settleTap(TAP, { round: roundOf('round-1', 'closed'), myChoice: 'o' })).toBe('recorded');
  });

  it('is sent again, once, as the same tap while its round is open and the snapshot lacks it', () => {
    expect(settleTap(TAP, { round: roundOf('round-1', 'open'), myChoice: null })).toBe('resend');
    expect(settleTap(TAP, { round: roundOf('round-1', 'open'), myChoice: 'x' })).toBe('resend');
    expect(settleTap({ ...TAP, isResend: true }, { round: roundOf('round-1', 'open'), myChoice: null })).toBe('not-sent');
  });

  it('shows as not sent when its round closed without it', () => {
    expect(settleTap(TAP, { round: roundOf('round-1', 'closed'), myChoice: null })).toBe('not-sent');
    expect(settleTap(TAP, { round: roundOf('round-1', 'revealed'), myChoice: 'x' })).toBe('not-sent');
  });

  it('is dropped when the room is on another round or none, so that screen says nothing of it', () => {
    expect(settleTap(TAP, { round: roundOf('round-2', 'open'), myChoice: null })).toBe('moot');
    expect(settleTap(TAP, { round: null, myChoice: null })).toBe('moot');
  });
});
