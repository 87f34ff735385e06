/**
 * Audience questions (Q&A): participants ask, others upvote once each, the presenter moderates.
 * Pure rules: state and `now` in, a decision out. Upvote counts are derived from the set of upvotes.
 */
import { ErrorCode, type QaStatus } from '../../shared/contract.ts';
import { allow, refuse, type Decision } from './domain-error.ts';

export interface AudienceQuestion {
  id: string;
  sessionId: string;
  participantId: string;
  text: string;
  /** The asker's nickname when they chose to show it. */
  nickname: string | null;
  status: QaStatus;
  askedAt: number;
}

export interface Upvote {
  questionId: string;
  participantId: string;
  upvotedAt: number;
}

/** How many questions one participant may send in a window, and in the whole session. */
export const QA_LIMITS = { perWindow: 3, windowMs: 60_000, perSession: 10 } as const;

export interface AskCommand {
  id: string;
  sessionId: string;
  participantId: string;
  text: string;
  nickname: string | null;
  /** The questions this participant asked before, for the rate limits. */
  earlierOfParticipant: readonly Pick<AudienceQuestion, 'askedAt'>[];
}

/** A new question from a participant, unless they have sent too many, too fast. */
export function askQuestion(command: AskCommand, now: number): Decision<AudienceQuestion> {
  const earlier = command.earlierOfParticipant;
  if (earlier.length >= QA_LIMITS.perSession) {
    return refuse(ErrorCode.rateLimited, `at most ${QA_LIMITS.perSession} questions per participant in a session`);
  }
  const recent = earlier.filter((question) => now - question.askedAt < QA_LIMITS.windowMs);
  if (recent.length >= QA_LIMITS.perWindow) {
    const retryAfterMs = Math.min(...recent.map((question) => question.askedAt)) + QA_LIMITS.windowMs - now;
    const message = `at most ${QA_LIMITS.perWindow} questions a minute; try again in ${Math.ceil(retryAfterMs / 1000)} s`;
    return { ok: false, error: { code: ErrorCode.rateLimited, message, retryAfterMs } };
  }
  return allow({
    id: command.id,
    sessionId: command.sessionId,
    participantId: command.participantId,
    text: command.text,
    nickname: command.nickname,
    status: 'pending',
    askedAt: now,
  });
}

/** Whether phones other than the asker's may see the question. */
export function isPublic(question: Pick<AudienceQuestion, 'status'>, moderateQuestions: boolean): boolean {
  if (question.status === 'approved' || question.status === 'answered') return true;
  return question.status === 'pending' && !moderateQuestions;
}

/** An upvote of a question the participant may see, once, and never of their own question. */
export function upvote(
  question: AudienceQuestion | null,
  participantId: string,
  upvoters: ReadonlySet<string>,
  moderateQuestions: boolean,
  now: number,
): Decision<{ upvote: Upvote; question: AudienceQuestion }> {
  if (!question || !isPublic(question, moderateQuestions)) return refuse(ErrorCode.qaQuestionNotFound, 'no such question to upvote');
  if (question.participantId === participantId) return refuse(ErrorCode.alreadyUpvoted, 'your own question cannot be upvoted');
  if (upvoters.has(participantId)) return refuse(ErrorCode.alreadyUpvoted, 'you have upvoted this question already');
  return allow({ upvote: { questionId: question.id, participantId, upvotedAt: now }, question });
}

/** A question may be pinned to the projector unless it is hidden. */
export function checkPinnable(question: AudienceQuestion | null): Decision<AudienceQuestion> {
  if (!question) return refuse(ErrorCode.qaQuestionNotFound, 'no such question');
  if (question.status === 'hidden') return refuse(ErrorCode.qaQuestionNotFound, 'a hidden question cannot be pinned');
  return allow(question);
}

/** Sets a question's status: approve, hide, mark answered, or back to pending. */
export function moderate(question: AudienceQuestion | null, status: QaStatus): Decision<AudienceQuestion> {
  if (!question) return refuse(ErrorCode.qaQuestionNotFound, 'no such question');
  return allow({ ...question, status });
}
