/** A phone that joined a session: anonymous, with an optional nickname, identified by its token. */
export interface Participant {
  id: string;
  sessionId: string;
  nickname: string | null;
  joinedAt: number;
}
