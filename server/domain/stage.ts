/**
 * The stage: what every presenter screen shows over the slides (the join QR, the black screen, the
 * discussion timer, the pinned audience question). Pure: state and `now` in, the new stage out.
 */
import { ErrorCode, TIMER_MINUTES } from '../../shared/contract.ts';
import { allow, refuse, type Decision } from './domain-error.ts';

/** The discussion timer: a deadline on the server's clock; screens count down to it themselves. */
export interface Timer {
  minutes: number;
  startedAt: number;
  endsAt: number;
}

export interface Stage {
  joinQr: boolean;
  blackScreen: boolean;
  timer: Timer | null;
  pinnedQuestionId: string | null;
}

/** A session's stage before the presenter changes anything. */
export const EMPTY_STAGE: Stage = { joinQr: false, blackScreen: false, timer: null, pinnedQuestionId: null };

/** Shows or hides the overlays named; the others stay as they are. */
export function setOverlays(stage: Stage, change: { joinQr?: boolean | undefined; blackScreen?: boolean | undefined }): Stage {
  return { ...stage, joinQr: change.joinQr ?? stage.joinQr, blackScreen: change.blackScreen ?? stage.blackScreen };
}

/** Starts the discussion timer for 1 to 5 whole minutes; a running timer is replaced. */
export function startTimer(stage: Stage, minutes: number, now: number): Decision<Stage> {
  if (!Number.isInteger(minutes) || minutes < TIMER_MINUTES.min || minutes > TIMER_MINUTES.max) {
    return refuse(ErrorCode.invalidPayload, `the timer runs ${TIMER_MINUTES.min} to ${TIMER_MINUTES.max} minutes`);
  }
  return allow({ ...stage, timer: { minutes, startedAt: now, endsAt: now + minutes * 60_000 } });
}

/** Stops the timer started at `startedAt`; a stop meant for an earlier timer leaves a newer one running. */
export function stopTimer(stage: Stage, startedAt: number): Decision<Stage> {
  if (stage.timer?.startedAt !== startedAt) return refuse(ErrorCode.timerNotRunning, 'no timer started then is running');
  return allow({ ...stage, timer: null });
}

/** Pins an audience question to the projector, or takes it off (a question that is not pinned stays so). */
export function pinQuestion(stage: Stage, questionId: string, pinned: boolean): Stage {
  if (pinned) return { ...stage, pinnedQuestionId: questionId };
  return stage.pinnedQuestionId === questionId ? { ...stage, pinnedQuestionId: null } : stage;
}
