/**
 * The deck and round rules: what moving the deck and asking a question do to the session's rounds.
 * The server is the only source of truth for them; presenter screens follow it. Pure: state and `now`
 * in, the new state out.
 *
 * - The first time the deck reaches a question slide, its round opens.
 * - Returning to a question asked before shows its latest round as it stands and opens nothing;
 *   only asking again (poll:open, the re-vote) opens the next round.
 * - Leaving a question while its round is open closes the round ("moved on"); a round closed so
 *   with no votes is a leftover and is left out of the results.
 * - A slide that is not a question slide shows no round: the phones wait with the current chapter.
 * - A test slide shows its latest test run (the presenter starts the test there); a question slide
 *   hides the test, so phones show the round. Elsewhere the phones keep showing the test they are on.
 */
import { TITLE_SLIDE_ID } from '../../shared/contract.ts';
import { closeRound, openRound, type Round } from './poll.ts';
import type { TestRun } from './knowledge-test.ts';
import type { Session } from './session.ts';
import type { TestKind } from '../../shared/contract.ts';

/** A slide of the variant's deck as the rules see it. */
export interface PlannedSlide {
  id: string;
  chapterId: string | null;
  /** The question a question slide asks; null on every other slide. */
  questionId: string | null;
  /** The test a test slide runs; null on every other slide. */
  testKind: TestKind | null;
}

/** The result of a move or an ask: the session's new position and the rounds it closed or opened. */
export interface RoundChange {
  session: Session;
  closedRound: Round | null;
  openedRound: Round | null;
}

export interface NewRound {
  /** The id the round takes if one opens. */
  id: string;
  optionKeys: readonly string[];
}

function currentRoundOf(session: Session, rounds: readonly Round[]): Round | null {
  return rounds.find((round) => round.id === session.currentRoundId) ?? null;
}

function latestRoundOf(questionId: string, rounds: readonly Round[]): Round | null {
  return rounds.findLast((round) => round.questionId === questionId) ?? null;
}

/** Closes the current round if it is open and is not a round of `keepQuestionId`. */
function closeOpenRoundUnlessOf(keepQuestionId: string | null, session: Session, rounds: readonly Round[], now: number): Round | null {
  const current = currentRoundOf(session, rounds);
  if (current?.status !== 'open' || current.questionId === keepQuestionId) return null;
  const closed = closeRound(current, current.id, now, 'moved-on');
  return closed.ok ? closed.value : null;
}

/** Moves the deck to `target` and applies the round rules above. */
export function moveDeck(
  session: Session,
  rounds: readonly Round[],
  target: PlannedSlide,
  newRound: (questionId: string) => NewRound,
  now: number,
  testRuns: readonly Pick<TestRun, 'id' | 'kind'>[] = [],
): RoundChange {
  const closedRound = closeOpenRoundUnlessOf(target.questionId, session, rounds, now);
  let openedRound: Round | null = null;
  let currentRoundId: string | null = null;
  if (target.questionId) {
    const latest = latestRoundOf(target.questionId, rounds);
    if (latest) {
      currentRoundId = latest.id;
    } else {
      const { id, optionKeys } = newRound(target.questionId);
      openedRound = openRound({ id, sessionId: session.id, questionId: target.questionId, optionKeys, earlierRounds: rounds }, now);
      currentRoundId = openedRound.id;
    }
  }
  const isPastTitle = target.id !== TITLE_SLIDE_ID;
  return {
    session: {
      ...session,
      currentSlideId: target.id,
      currentRoundId,
      currentTestRunId: testRunShownAt(target, session.currentTestRunId, testRuns),
      state: session.state === 'lobby' && isPastTitle ? 'live' : session.state,
    },
    closedRound,
    openedRound,
  };
}

function testRunShownAt(target: PlannedSlide, shown: string | null, testRuns: readonly Pick<TestRun, 'id' | 'kind'>[]): string | null {
  if (target.questionId) return null;
  if (target.testKind) return testRuns.findLast((run) => run.kind === target.testKind)?.id ?? shown;
  return shown;
}

/** Asks a question as a new round: its first, or a re-vote. An open round is closed first. */
export function askQuestion(session: Session, rounds: readonly Round[], questionId: string, newRound: NewRound, now: number): RoundChange {
  const current = currentRoundOf(session, rounds);
  const closed = current?.status === 'open' ? closeRound(current, current.id, now, 'moved-on') : null;
  const openedRound = openRound({ id: newRound.id, sessionId: session.id, questionId, optionKeys: newRound.optionKeys, earlierRounds: rounds }, now);
  return {
    // Asking a question means the seminar has started, even with the deck still on the title slide.
    session: { ...session, currentRoundId: openedRound.id, currentTestRunId: null, state: session.state === 'lobby' ? 'live' : session.state },
    closedRound: closed?.ok ? closed.value : null,
    openedRound,
  };
}
