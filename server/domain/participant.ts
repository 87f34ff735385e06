/**
 * Where a participant stands: admitted (votes count), pending (joined beyond the session's expected
 * headcount, waiting for the presenter's approval) or removed by the presenter (votes discarded).
 */
export type ParticipantStatus = 'admitted' | 'pending' | 'removed';

/** A phone that joined a session: anonymous, with an optional nickname, identified by its token. */
export interface Participant {
  id: string;
  sessionId: string;
  nickname: string | null;
  /** The group (班) chosen when joining; null when the session has none. */
  group: string | null;
  status: ParticipantStatus;
  joinedAt: number;
}

/** Joins admitted beyond the expected headcount before approval is needed: 10 %, at least 5. */
export function headcountMargin(expectedParticipants: number): number {
  return Math.max(5, Math.ceil(expectedParticipants * 0.1));
}

/**
 * One participant, one voice: each browser joins once (its token), and a session admits up to its
 * expected headcount plus a margin; further joins wait for the presenter, so a script that joins
 * hundreds of times cannot speak for the room, while an honest hall behind one NAT address is not
 * slowed down (the organizer sets the headcount).
 */
export function admissionOf(expectedParticipants: number, admitted: number): Exclude<ParticipantStatus, 'removed'> {
  return admitted < expectedParticipants + headcountMargin(expectedParticipants) ? 'admitted' : 'pending';
}
