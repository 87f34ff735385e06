/** Sessions: one run of a course variant, joined by a short code. */
import { ErrorCode, JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, type SessionState } from '../../shared/contract.ts';
import type { SessionSettings } from '../../shared/protocol.ts';
import { allow, refuse, type Decision } from './domain-error.ts';
import type { Stage } from './stage.ts';

export type { SessionState };

export interface Session {
  id: string;
  code: string;
  title: string;
  courseId: string;
  variantId: string;
  state: SessionState;
  /** Where the deck is; null until it leaves the title slide. */
  currentSlideId: string | null;
  /** The round the room is on: shown on the phones and the projector; null between questions. */
  currentRoundId: string | null;
  /** The test run phones show when no round is current; null when none. */
  currentTestRunId: string | null;
  settings: SessionSettings;
  /** What the presenter screens show over the slides: overlays, the discussion timer, the pinned question. */
  stage: Stage;
  createdAt: number;
}

/**
 * Builds a join code from random bytes (one byte per character). The alphabet has 24 letters,
 * a divisor of 24 * 10 = 240, so bytes >= 240 are skipped to keep every character equally likely.
 */
export function joinCodeFrom(randomBytes: (count: number) => Uint8Array): string {
  let code = '';
  while (code.length < JOIN_CODE_LENGTH) {
    for (const byte of randomBytes(JOIN_CODE_LENGTH * 2)) {
      if (byte >= 240 || code.length === JOIN_CODE_LENGTH) continue;
      code += JOIN_CODE_ALPHABET[byte % JOIN_CODE_ALPHABET.length];
    }
  }
  return code;
}

export function isEnded(session: Pick<Session, 'state'>): boolean {
  return session.state === 'ended';
}

/**
 * Ends a session: it takes no more joins, moves or votes, and an open round is closed by the caller.
 * Ending twice is refused, so a second click changes nothing and says why.
 */
export function endSession(session: Session): Decision<Session> {
  if (isEnded(session)) return refuse(ErrorCode.sessionEnded, 'the session has already ended');
  return allow({ ...session, state: 'ended' });
}

/** Refuses any change to a session that has ended. */
export function requireRunning(session: Pick<Session, 'state'>): Decision<true> {
  return isEnded(session) ? refuse(ErrorCode.sessionEnded, 'このセッションは終了しました') : allow(true);
}

/** Whether a session's retention period has passed: its data is then deleted. */
export function isPastRetention(session: Pick<Session, 'createdAt' | 'settings'>, now: number): boolean {
  const days = session.settings.retentionDays;
  return days !== null && now >= session.createdAt + days * 24 * 60 * 60 * 1000;
}
