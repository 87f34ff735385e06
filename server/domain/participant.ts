/** A phone that joined a session: anonymous, with an optional nickname, identified by its token. */
export interface Participant {
  id: string;
  sessionId: string;
  nickname: string | null;
  /** The group (班) chosen when joining; null when the session has none. */
  group: string | null;
  joinedAt: number;
}
