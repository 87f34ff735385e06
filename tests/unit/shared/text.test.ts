import { describe, expect, it } from 'vitest';
import { JoinRequest } from '../../../shared/protocol.ts';
import { characterCount, cleanText } from '../../../shared/text.ts';

describe('free text from people', () => {
  it('is normalized to NFC, with controls, bidi overrides and zero-width characters removed', () => {
    expect(cleanText('ｶﾞ')).toBe('ｶﾞ');
    expect(cleanText('か\u3099')).toBe('が');
    expect(cleanText('\u202Eevil\u202C name')).toBe('evil name');
    expect(cleanText('ta\u200Bna\u200Dka\uFEFF')).toBe('tanaka');
    expect(cleanText('  田中\n\t太郎\u0007  ')).toBe('田中 太郎');
  });

  it('is counted in characters, not bytes or UTF-16 units', () => {
    expect(characterCount('👩‍💼')).toBe(3);
    expect(characterCount('田中')).toBe(2);
    expect(JoinRequest.safeParse({ nickname: '😀'.repeat(30) }).success).toBe(true);
    expect(JoinRequest.safeParse({ nickname: '😀'.repeat(31) }).success).toBe(false);
    expect(JoinRequest.parse({ nickname: '\u202E田中\u200B' }).nickname).toBe('田中');
  });
});
