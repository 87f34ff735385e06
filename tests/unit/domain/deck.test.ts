import { describe, expect, it } from 'vitest';
import { askQuestion, moveDeck, type PlannedSlide } from '../../../server/domain/deck.ts';
import { openRound, type Round } from '../../../server/domain/poll.ts';
import { EMPTY_STAGE } from '../../../server/domain/stage.ts';
import type { Session } from '../../../server/domain/session.ts';
import { SessionSettings } from '../../../shared/protocol.ts';

const session: Session = {
  id: 's',
  code: 'ACDEFG',
  title: 't',
  courseId: 'c',
  variantId: 'v',
  state: 'lobby',
  currentSlideId: null,
  currentRoundId: null,
  currentTestRunId: null,
  settings: SessionSettings.parse({}),
  stage: EMPTY_STAGE,
  createdAt: 0,
};
const content: PlannedSlide = { id: 'ch1-2', chapterId: 'ch1', questionId: null, testKind: null };
const questionA: PlannedSlide = { id: 'ch1-3', chapterId: 'ch1', questionId: 'qa', testKind: null };
const questionB: PlannedSlide = { id: 'ch1-4', chapterId: 'ch1', questionId: 'qb', testKind: null };
let ids = 0;
const newRound = () => ({ id: `r${++ids}`, optionKeys: ['o', 'x'] });

function round(questionId: string, status: Round['status'], id = `${questionId}-1`): Round {
  return { ...openRound({ id, sessionId: 's', questionId, optionKeys: ['o', 'x'], earlierRounds: [] }, 1), status };
}

describe('moving the deck', () => {
  it('makes a lobby session live when it leaves the title slide', () => {
    expect(moveDeck(session, [], content, newRound, 5).session).toMatchObject({ state: 'live', currentSlideId: 'ch1-2' });
    expect(moveDeck({ ...session, state: 'ended' }, [], content, newRound, 5).session.state).toBe('ended');
  });

  it('opens the round of a question slide the first time the deck reaches it', () => {
    const move = moveDeck(session, [], questionA, newRound, 5);
    expect(move.openedRound).toMatchObject({ questionId: 'qa', number: 1, status: 'open', openedAt: 5 });
    expect(move.session.currentRoundId).toBe(move.openedRound?.id);
  });

  it('shows the latest round of a question asked before, as it stands, and opens nothing', () => {
    const revealed = round('qa', 'revealed');
    const here = { ...session, currentSlideId: 'ch1-2', currentRoundId: null };
    const move = moveDeck(here, [revealed], questionA, newRound, 9);
    expect(move.openedRound).toBeNull();
    expect(move.closedRound).toBeNull();
    expect(move.session.currentRoundId).toBe(revealed.id);
  });

  it('closes an open round when the deck leaves its question, marking it as closed by moving on', () => {
    const open = round('qa', 'open');
    const here = { ...session, currentSlideId: 'ch1-3', currentRoundId: open.id };
    const move = moveDeck(here, [open], content, newRound, 9);
    expect(move.closedRound).toMatchObject({ id: open.id, status: 'closed', closedAt: 9, closedBy: 'moved-on' });
    expect(move.session.currentRoundId).toBeNull();
  });

  it('keeps the round open when the deck stays on its question', () => {
    const open = round('qa', 'open');
    const here = { ...session, currentSlideId: 'ch1-3', currentRoundId: open.id };
    const move = moveDeck(here, [open], questionA, newRound, 9);
    expect(move.closedRound).toBeNull();
    expect(move.session.currentRoundId).toBe(open.id);
  });

  it('closes the open round and opens the next question when moving from one question to another', () => {
    const open = round('qa', 'open');
    const move = moveDeck({ ...session, currentRoundId: open.id }, [open], questionB, newRound, 9);
    expect(move.closedRound?.id).toBe(open.id);
    expect(move.openedRound).toMatchObject({ questionId: 'qb', status: 'open' });
  });
});

describe('asking a question again', () => {
  it('opens the next round of the question, numbered after the earlier ones, and closes an open round first', () => {
    const first = round('qa', 'revealed', 'a1');
    const open = round('qb', 'open', 'b1');
    const change = askQuestion({ ...session, currentRoundId: open.id }, [first, open], 'qa', { id: 'a2', optionKeys: ['o', 'x'] }, 20);
    expect(change.openedRound).toMatchObject({ id: 'a2', number: 2, status: 'open' });
    expect(change.closedRound).toMatchObject({ id: 'b1', status: 'closed', closedBy: 'moved-on' });
    expect(change.session.currentRoundId).toBe('a2');
  });

  it('starts the session: a question asked from the title slide makes it live', () => {
    const change = askQuestion(session, [], 'qa', { id: 'a1', optionKeys: ['o', 'x'] }, 5);
    expect(change.session.state).toBe('live');
    expect(askQuestion({ ...session, state: 'ended' }, [], 'qa', { id: 'a1', optionKeys: ['o', 'x'] }, 5).session.state).toBe('ended');
  });
});
