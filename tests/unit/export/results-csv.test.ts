import { describe, expect, it } from 'vitest';
import { resultsToCsv } from '../../../server/export/results-csv.ts';
import type { ResultsPayload } from '../../../shared/contract.ts';

const results: ResultsPayload = {
  session: { code: 'ACDEFG', title: 't', courseId: 'c', variantId: 'v', state: 'live' },
  courseTitle: 'コース',
  joinUrl: 'http://192.168.1.10:3000/join/ACDEFG',
  createdAt: '2026-11-27T00:00:00.000Z',
  skippedRounds: 0,
  groups: [],
  tests: [],
  participants: 3,
  rounds: [
    {
      roundId: 'r1',
      questionId: 'q1',
      number: 1,
      prompt: '=HYPERLINK("http://evil") "引用" を含む設問',
      options: [
        { key: 'o', symbol: '○', text: '正しい' },
        { key: 'x', symbol: '×', text: '誤り' },
      ],
      answer: 'x',
      status: 'revealed',
      openedAt: '2026-11-27T01:00:00.000Z',
      counts: { o: 1, x: 2 },
      voted: 3,
      correct: 2,
    },
  ],
};

describe('results CSV for Excel', () => {
  const csv = resultsToCsv(results);

  it('starts with a UTF-8 BOM and ends lines with CRLF', () => {
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(3);
    expect(csv.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('quotes every field and doubles quotes inside', () => {
    const row = csv.split('\r\n')[1]!;
    expect(row).toContain('"\'=HYPERLINK(""http://evil"") ""引用"" を含む設問"');
  });

  it('writes counts, correct answers and the rate', () => {
    const row = csv.split('\r\n')[1]!;
    expect(row).toContain('"× 誤り","3","2","66.7","1","2","",""');
  });
});
