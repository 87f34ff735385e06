import type { ParticipantSnapshot } from '../../shared/contract.ts';

/** One tap of a vote; a resend of the same tap carries the same id, so the server counts it once. */
export interface Tap {
  roundId: string;
  choice: string;
  voteId: string;
  /** Whether it is being sent again after its first answer never came (it is, once at most). */
  isResend: boolean;
}

/**
 * What the phone does with a tap whose answer never came, once a snapshot says what the server has:
 * - `recorded`: the snapshot shows the tap's choice in its round; it shows as recorded.
 * - `resend`: not recorded, its round still open, not sent twice yet: sent again as the same tap.
 * - `not-sent`: not recorded and no resend left, or its round closed: it shows as not sent.
 * - `moot`: the room is on another round now (or none); that screen must not speak of the old tap.
 */
export type TapOutcome = 'recorded' | 'resend' | 'not-sent' | 'moot';

export function settleTap(tap: Tap, snapshot: Pick<ParticipantSnapshot, 'round' | 'myChoice'>): TapOutcome {
  const round = snapshot.round;
  if (round?.roundId !== tap.roundId) return 'moot';
  if (snapshot.myChoice === tap.choice) return 'recorded';
  return !tap.isResend && round.status === 'open' ? 'resend' : 'not-sent';
}
