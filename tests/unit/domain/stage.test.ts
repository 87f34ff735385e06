import { describe, expect, it } from 'vitest';
import { EMPTY_STAGE, pinQuestion, setOverlays, startTimer, stopTimer } from '../../../server/domain/stage.ts';

describe('the stage', () => {
  it('shows and hides each overlay without touching the others', () => {
    const shown = setOverlays(EMPTY_STAGE, { joinQr: true });
    expect(shown).toMatchObject({ joinQr: true, blackScreen: false });
    expect(setOverlays(shown, { blackScreen: true })).toMatchObject({ joinQr: true, blackScreen: true });
    const pinned = pinQuestion(shown, 'q1', true);
    expect(pinned).toMatchObject({ joinQr: true, pinnedQuestionId: 'q1' });
    expect(pinQuestion(pinned, 'q2', false).pinnedQuestionId).toBe('q1');
    expect(pinQuestion(pinned, 'q1', false).pinnedQuestionId).toBeNull();
  });

  it('runs the discussion timer 1 to 5 whole minutes to a deadline', () => {
    expect(startTimer(EMPTY_STAGE, 3, 1000)).toEqual({ ok: true, value: { ...EMPTY_STAGE, timer: { minutes: 3, startedAt: 1000, endsAt: 181_000 } } });
    for (const minutes of [0, 6, 2.5]) expect(startTimer(EMPTY_STAGE, minutes, 0)).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    const running = startTimer(EMPTY_STAGE, 1, 500);
    if (!running.ok) throw new Error('not started');
    expect(stopTimer(running.value, 500)).toMatchObject({ ok: true, value: { timer: null } });
    expect(stopTimer(running.value, 499)).toMatchObject({ ok: false, error: { code: 'timer_not_running' } });
    expect(stopTimer(EMPTY_STAGE, 500)).toMatchObject({ ok: false, error: { code: 'timer_not_running' } });
  });
});
