import { describe, expect, it } from 'vitest';
import { newVoteId } from '../../../client/join/vote-id.ts';
import { VoteId } from '../../../shared/protocol.ts';

describe('the vote id a phone makes per tap', () => {
  it('is accepted by the vote schema and differs from tap to tap', () => {
    const ids = Array.from({ length: 1000 }, () => newVoteId());
    for (const id of ids) expect(VoteId.safeParse(id).success).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('uses every url-safe character, so each of its 22 characters carries 6 random bits', () => {
    const used = new Set(Array.from({ length: 200 }, () => newVoteId()).join(''));
    expect(used.size).toBe(64);
  });
});
