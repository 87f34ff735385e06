/** A small, fully known results model for the export builders' tests. */
import type { ResultsPayload } from '../../shared/contract.ts';
import { SessionSettings } from '../../shared/protocol.ts';

const ox = [
  { key: 'o', symbol: '○', text: '正しい' },
  { key: 'x', symbol: '×', text: '誤り' },
];

export function sampleResults(overrides: Partial<ResultsPayload> = {}): ResultsPayload {
  return {
    session: { code: 'ACDEFG', title: 'カスハラ研修: 本社/営業部', courseId: 'c', variantId: 'v', state: 'ended', clientName: '株式会社テスト', startsAt: '2026-12-01T14:00', isRehearsal: false, isDemo: false },
    settings: SessionSettings.parse({ clientName: '株式会社テスト', startsAt: '2026-12-01T14:00', venue: '本社 5F', lecturer: '山田 弁護士', groups: ['1班', '2班'] }),
    courseTitle: 'コース',
    variantTitle: '短縮版',
    joinUrl: 'http://192.168.1.10:3000/join/ACDEFG',
    createdAt: '2026-11-27T09:00:00+09:00',
    participants: 2,
    roster: [
      { number: 1, nickname: null, group: '1班', joinedAt: '2026-12-01T14:01:05+09:00' },
      { number: 2, nickname: '=さくら', group: '2班', joinedAt: '2026-12-01T14:02:30+09:00' },
    ],
    skippedRounds: 1,
    groups: ['1班', '2班'],
    tests: [],
    testScores: [],
    rounds: [
      {
        roundId: 'r1',
        questionId: 'q1',
        kind: 'ox',
        number: 1,
        chapterId: 'ch1',
        chapterTitle: '第1章 基本',
        caseName: null,
        prompt: '=HYPERLINK("http://evil") "引用" を含む設問',
        options: ox,
        answer: 'x',
        explanation: '解説1',
        lesson: null,
        status: 'revealed',
        openedAt: '2026-12-01T14:10:00+09:00',
        closedAt: '2026-12-01T14:11:00+09:00',
        counts: { o: 1, x: 1 },
        voted: 2,
        correct: 1,
        votes: [
          { participant: 1, choice: 'o' },
          { participant: 2, choice: 'x' },
        ],
      },
      {
        roundId: 'r2',
        questionId: 'q1',
        kind: 'ox',
        number: 2,
        chapterId: 'ch1',
        chapterTitle: '第1章 基本',
        caseName: null,
        prompt: '=HYPERLINK("http://evil") "引用" を含む設問',
        options: ox,
        answer: 'x',
        explanation: '解説1',
        lesson: null,
        status: 'revealed',
        openedAt: '2026-12-01T14:15:00+09:00',
        closedAt: '2026-12-01T14:16:00+09:00',
        counts: { o: 0, x: 2 },
        voted: 2,
        correct: 2,
        votes: [
          { participant: 1, choice: 'x' },
          { participant: 2, choice: 'x' },
        ],
      },
    ],
    qa: [],
    ...overrides,
  };
}
