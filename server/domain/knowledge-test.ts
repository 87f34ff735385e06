/**
 * The knowledge test (知識定着確認テスト) and the pre-test: a run of ○× items that each participant
 * answers at their own pace, saved as they go, scored when submitted or when the run is closed.
 * Pure rules: state and `now` in, a decision out.
 */
import { ErrorCode, type TestChoice, type TestKind } from '../../shared/contract.ts';
import { allow, refuse, type Decision } from './domain-error.ts';

export interface TestRun {
  id: string;
  sessionId: string;
  kind: TestKind;
  /** The items in the order the phones show them. */
  itemIds: readonly string[];
  status: 'open' | 'closed';
  openedAt: number;
  closedAt: number | null;
}

/** One participant's answers to a run, with the item they are on (itemIds.length: the review step). */
export interface TestAttempt {
  runId: string;
  participantId: string;
  answers: Readonly<Record<string, TestChoice>>;
  position: number;
  submittedAt: number | null;
}

/** An item's key, for scoring. */
export interface ItemKey {
  id: string;
  answer: TestChoice;
}

/** How many items the pre-test takes from the test: few, so it costs the room two or three minutes. */
export const PRE_TEST_ITEM_COUNT = 5;

/** The pre-test's items: spread evenly over the test's, so each part of the course is measured. */
export function preTestItemIds(testItemIds: readonly string[]): string[] {
  const count = Math.min(PRE_TEST_ITEM_COUNT, testItemIds.length);
  return Array.from({ length: count }, (_, index) => testItemIds[Math.floor((index * testItemIds.length) / count)]!);
}

export function openTestRun(
  command: { id: string; sessionId: string; kind: TestKind; itemIds: readonly string[]; runs: readonly TestRun[] },
  now: number,
): Decision<TestRun> {
  if (command.itemIds.length === 0) return refuse(ErrorCode.testNotAvailable, 'this variant has no test items');
  if (command.runs.some((run) => run.status === 'open')) return refuse(ErrorCode.testAlreadyOpen, 'a test is already running; close it first');
  return allow({ id: command.id, sessionId: command.sessionId, kind: command.kind, itemIds: command.itemIds, status: 'open', openedAt: now, closedAt: null });
}

export function closeTestRun(run: TestRun | null, runId: string, now: number): Decision<TestRun> {
  if (!run || run.id !== runId) return refuse(ErrorCode.testNotFound, 'no such test in this session');
  if (run.status !== 'open') return refuse(ErrorCode.testNotOpen, 'the test is already closed');
  return allow({ ...run, status: 'closed', closedAt: now });
}

function emptyAttempt(runId: string, participantId: string): TestAttempt {
  return { runId, participantId, answers: {}, position: 0, submittedAt: null };
}

/** Checks that the participant may still change their attempt at this run. */
function openAttempt(run: TestRun | null, runId: string, attempt: TestAttempt | null, participantId: string): Decision<TestAttempt> {
  if (!run || run.id !== runId) return refuse(ErrorCode.testNotFound, 'このテストは実施されていません');
  if (run.status !== 'open') return refuse(ErrorCode.testNotOpen, 'テストは締め切られました');
  const current = attempt ?? emptyAttempt(runId, participantId);
  if (current.submittedAt !== null) return refuse(ErrorCode.testAlreadySubmitted, '提出済みです');
  return allow(current);
}

/** Saves an answer (or a changed one) and keeps the participant on that item. */
export function answerItem(run: TestRun | null, attempt: TestAttempt | null, participantId: string, answer: { runId: string; itemId: string; choice: TestChoice }): Decision<TestAttempt> {
  const decision = openAttempt(run, answer.runId, attempt, participantId);
  if (!decision.ok) return decision;
  const position = run!.itemIds.indexOf(answer.itemId);
  if (position < 0) return refuse(ErrorCode.invalidPayload, `item "${answer.itemId}" is not in this test`);
  return allow({ ...decision.value, answers: { ...decision.value.answers, [answer.itemId]: answer.choice }, position });
}

/** Moves to an item, or to the review step (position = item count), so a reload resumes there. */
export function moveInTest(run: TestRun | null, attempt: TestAttempt | null, participantId: string, move: { runId: string; position: number }): Decision<TestAttempt> {
  const decision = openAttempt(run, move.runId, attempt, participantId);
  if (!decision.ok) return decision;
  if (move.position > run!.itemIds.length) return refuse(ErrorCode.invalidPayload, `position must be 0 to ${run!.itemIds.length}`);
  return allow({ ...decision.value, position: move.position });
}

export function submitAttempt(run: TestRun | null, attempt: TestAttempt | null, participantId: string, runId: string, now: number): Decision<TestAttempt> {
  const decision = openAttempt(run, runId, attempt, participantId);
  if (!decision.ok) return decision;
  return allow({ ...decision.value, position: run!.itemIds.length, submittedAt: now });
}

export interface AttemptScore {
  score: number;
  total: number;
  /** The items answered wrongly or not at all, in the run's order. */
  missedItemIds: string[];
}

export function scoreAttempt(run: TestRun, answers: Readonly<Record<string, TestChoice>>, keys: ReadonlyMap<string, TestChoice>): AttemptScore {
  const missedItemIds = run.itemIds.filter((itemId) => answers[itemId] === undefined || answers[itemId] !== keys.get(itemId));
  return { score: run.itemIds.length - missedItemIds.length, total: run.itemIds.length, missedItemIds };
}

export interface ItemRate {
  itemId: string;
  correct: number;
  answered: number;
  /** Correct answers among the participants scored, 0–1. */
  rate: number;
}

export interface TestStats {
  /** Participants scored: those who answered at least one item. */
  scored: number;
  /** histogram[s]: how many scored s. */
  histogram: number[];
  mean: number;
  median: number;
  /** Per item, weakest first. */
  items: ItemRate[];
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The attempts that count: every participant who answered at least one item. */
export function scoredAttempts(attempts: Iterable<TestAttempt>): TestAttempt[] {
  return [...attempts].filter((attempt) => Object.keys(attempt.answers).length > 0);
}

export function testStats(run: TestRun, attempts: Iterable<TestAttempt>, keys: ReadonlyMap<string, TestChoice>): TestStats {
  const counted = scoredAttempts(attempts);
  const scores = counted.map((attempt) => scoreAttempt(run, attempt.answers, keys).score);
  const histogram = Array.from({ length: run.itemIds.length + 1 }, () => 0);
  for (const score of scores) histogram[score]! += 1;
  const items = run.itemIds.map((itemId) => {
    const answered = counted.filter((attempt) => attempt.answers[itemId] !== undefined).length;
    const correct = counted.filter((attempt) => attempt.answers[itemId] === keys.get(itemId)).length;
    return { itemId, correct, answered, rate: counted.length > 0 ? correct / counted.length : 0 };
  });
  return {
    scored: counted.length,
    histogram,
    mean: scores.length > 0 ? scores.reduce((sum, score) => sum + score, 0) / scores.length : 0,
    median: median(scores),
    items: [...items].sort((a, b) => a.rate - b.rate || run.itemIds.indexOf(a.itemId) - run.itemIds.indexOf(b.itemId)),
  };
}

export interface PrePostGain {
  /** Mean share of correct answers, 0–1, on the items both runs asked. */
  pre: number;
  post: number;
  items: Array<{ itemId: string; pre: number; post: number }>;
}

/** The gain from the pre-test to the test, on the items both asked. */
export function prePostGain(pre: TestStats, post: TestStats): PrePostGain | null {
  const postRates = new Map(post.items.map((item) => [item.itemId, item.rate]));
  const items = pre.items
    .filter((item) => postRates.has(item.itemId))
    .map((item) => ({ itemId: item.itemId, pre: item.rate, post: postRates.get(item.itemId)! }));
  if (items.length === 0 || pre.scored === 0 || post.scored === 0) return null;
  const average = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
  return { pre: average(items.map((item) => item.pre)), post: average(items.map((item) => item.post)), items };
}
