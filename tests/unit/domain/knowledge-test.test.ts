import { describe, expect, it } from 'vitest';
import {
  answerItem,
  closeTestRun,
  moveInTest,
  openTestRun,
  preTestItemIds,
  prePostGain,
  scoreAttempt,
  submitAttempt,
  testStats,
  type TestAttempt,
  type TestRun,
} from '../../../server/domain/knowledge-test.ts';
import type { TestChoice } from '../../../shared/contract.ts';

const keys = new Map<string, TestChoice>([
  ['a', 'o'],
  ['b', 'x'],
  ['c', 'o'],
  ['d', 'x'],
]);

function openRun(itemIds: string[] = ['a', 'b', 'c', 'd']): TestRun {
  const opened = openTestRun({ id: 't1', sessionId: 's', kind: 'post', itemIds, runs: [] }, 100);
  if (!opened.ok) throw new Error(opened.error.message);
  return opened.value;
}

function attempt(answers: Record<string, TestChoice>, participantId = 'p', submittedAt: number | null = null): TestAttempt {
  return { runId: 't1', participantId, answers, position: 0, submittedAt };
}

describe('a test run', () => {
  it('opens with its items and refuses a second run while one is open', () => {
    const run = openRun();
    expect(run).toMatchObject({ status: 'open', itemIds: ['a', 'b', 'c', 'd'], openedAt: 100, closedAt: null });
    expect(openTestRun({ id: 't2', sessionId: 's', kind: 'pre', itemIds: ['a'], runs: [run] }, 101)).toMatchObject({
      ok: false,
      error: { code: 'test_already_open' },
    });
    expect(openTestRun({ id: 't2', sessionId: 's', kind: 'post', itemIds: [], runs: [] }, 101)).toMatchObject({ ok: false, error: { code: 'test_not_available' } });
  });

  it('saves answers as they go, keeps the participant on the item answered, and resumes where they moved', () => {
    const run = openRun();
    const first = answerItem(run, null, 'p', { runId: 't1', itemId: 'c', choice: 'x' });
    expect(first).toMatchObject({ ok: true, value: { answers: { c: 'x' }, position: 2, submittedAt: null } });
    if (!first.ok) return;
    const changed = answerItem(run, first.value, 'p', { runId: 't1', itemId: 'c', choice: 'o' });
    expect(changed).toMatchObject({ ok: true, value: { answers: { c: 'o' } } });
    if (!changed.ok) return;
    expect(moveInTest(run, changed.value, 'p', { runId: 't1', position: 4 })).toMatchObject({ ok: true, value: { position: 4, answers: { c: 'o' } } });
    expect(moveInTest(run, changed.value, 'p', { runId: 't1', position: 5 })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(answerItem(run, null, 'p', { runId: 't1', itemId: 'zzz', choice: 'o' })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
  });

  it('makes answers final once submitted, and takes none once closed', () => {
    const run = openRun();
    const submitted = submitAttempt(run, attempt({ a: 'o' }), 'p', 't1', 150);
    expect(submitted).toMatchObject({ ok: true, value: { submittedAt: 150, position: 4 } });
    if (!submitted.ok) return;
    expect(answerItem(run, submitted.value, 'p', { runId: 't1', itemId: 'b', choice: 'x' })).toMatchObject({ ok: false, error: { code: 'test_already_submitted' } });
    const closed = closeTestRun(run, 't1', 200);
    expect(closed).toMatchObject({ ok: true, value: { status: 'closed', closedAt: 200 } });
    if (!closed.ok) return;
    expect(answerItem(closed.value, null, 'q', { runId: 't1', itemId: 'a', choice: 'o' })).toMatchObject({ ok: false, error: { code: 'test_not_open' } });
    expect(closeTestRun(closed.value, 't1', 201)).toMatchObject({ ok: false, error: { code: 'test_not_open' } });
    expect(answerItem(run, null, 'p', { runId: 'other', itemId: 'a', choice: 'o' })).toMatchObject({ ok: false, error: { code: 'test_not_found' } });
  });
});

describe('scoring', () => {
  it('counts an unanswered item as missed', () => {
    expect(scoreAttempt(openRun(), { a: 'o', b: 'o', d: 'x' }, keys)).toEqual({ score: 2, total: 4, missedItemIds: ['b', 'c'] });
  });

  it('gives the distribution, mean, median and the items weakest first, over those who answered', () => {
    const run = openRun();
    const stats = testStats(
      run,
      [
        attempt({ a: 'o', b: 'x', c: 'o', d: 'x' }, 'p1'),
        attempt({ a: 'o', b: 'x', c: 'x', d: 'o' }, 'p2'),
        attempt({ a: 'o', b: 'o', c: 'x', d: 'x' }, 'p3'),
        attempt({}, 'p4'),
      ],
      keys,
    );
    expect(stats.scored).toBe(3);
    expect(stats.histogram).toEqual([0, 0, 2, 0, 1]);
    expect(stats.mean).toBeCloseTo(8 / 3);
    expect(stats.median).toBe(2);
    expect(stats.items.map((item) => [item.itemId, item.correct])).toEqual([
      ['c', 1],
      ['b', 2],
      ['d', 2],
      ['a', 3],
    ]);
  });

  it('takes the median of an even count as the mean of the middle two', () => {
    const stats = testStats(openRun(), [attempt({ a: 'o' }, 'p1'), attempt({ a: 'o', b: 'x', c: 'o' }, 'p2')], keys);
    expect(stats.median).toBe(2);
  });
});

describe('the pre-test and the gain', () => {
  it('draws a few items spread over the whole test', () => {
    const items = Array.from({ length: 20 }, (_, index) => `t${index + 1}`);
    expect(preTestItemIds(items)).toEqual(['t1', 't5', 't9', 't13', 't17']);
    expect(preTestItemIds(['a', 'b'])).toEqual(['a', 'b']);
  });

  it('compares the correct rates of the items both runs asked', () => {
    const pre = testStats(openRun(['a', 'b']), [attempt({ a: 'x', b: 'x' }, 'p1'), attempt({ a: 'o', b: 'o' }, 'p2')], keys);
    const post = testStats(openRun(['a', 'b', 'c', 'd']), [attempt({ a: 'o', b: 'x' }, 'p1'), attempt({ a: 'o', b: 'x' }, 'p2')], keys);
    const gain = prePostGain(pre, post);
    expect(gain).toEqual({ pre: 0.5, post: 1, items: [{ itemId: 'a', pre: 0.5, post: 1 }, { itemId: 'b', pre: 0.5, post: 1 }] });
    expect(prePostGain(testStats(openRun(['a']), [], keys), post)).toBeNull();
  });
});
