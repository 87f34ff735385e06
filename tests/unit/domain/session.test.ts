import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { joinCodeFrom } from '../../../server/domain/session.ts';
import { JOIN_CODE_ALPHABET } from '../../../shared/contract.ts';
import { JoinCode } from '../../../shared/protocol.ts';

describe('join codes', () => {
  it('are 6 characters of the unambiguous uppercase alphabet', () => {
    for (let i = 0; i < 500; i += 1) {
      const code = joinCodeFrom((count) => randomBytes(count));
      expect(code).toMatch(/^[A-Z0-9]{6}$/);
      for (const character of code) expect(JOIN_CODE_ALPHABET).toContain(character);
    }
  });

  it('contain no characters people confuse (0/O, 1/I/L, 2/Z, 5/S, 8/B)', () => {
    for (const character of '0O1IL2Z5S8B') expect(JOIN_CODE_ALPHABET).not.toContain(character);
  });

  it('skip bytes that would bias the alphabet', () => {
    const bytes = [255, 250, 240, 0, 1, 2, 3, 4, 5, 6, 7];
    const code = joinCodeFrom((count) => Uint8Array.from(bytes.splice(0, count)));
    expect(code).toBe(JOIN_CODE_ALPHABET.slice(0, 6));
  });

  it('are read case-insensitively and trimmed', () => {
    expect(JoinCode.parse(' acdefg ')).toBe('ACDEFG');
    expect(JoinCode.safeParse('ACDEF0').success).toBe(false);
  });
});
