/** The results of a session as the organizer exports them: one pure model, several formats. */
import type { Course } from '../../shared/course.ts';
import { findQuestion, optionsOf } from '../course/course-catalog.ts';
import { tallyOf, type Round } from '../domain/poll.ts';
import type { Session } from '../domain/session.ts';
import type { ResultsPayload } from '../../shared/protocol.ts';

export interface RoundWithVotes {
  round: Round;
  choices: string[];
}

export function buildResults(
  session: Session,
  course: Course,
  joinUrl: string,
  participants: number,
  rounds: RoundWithVotes[],
): ResultsPayload {
  return {
    session: {
      code: session.code,
      title: session.title,
      courseId: session.courseId,
      variantId: session.variantId,
      state: session.state,
    },
    courseTitle: course.manifest.title,
    joinUrl,
    createdAt: new Date(session.createdAt).toISOString(),
    participants,
    rounds: rounds.map(({ round, choices }) => {
      const question = findQuestion(course, round.questionId);
      const tally = tallyOf(round, choices, participants);
      const answer = question?.answer ?? null;
      return {
        roundId: round.id,
        questionId: round.questionId,
        number: round.number,
        prompt: question?.prompt ?? round.questionId,
        options: question ? optionsOf(question) : [],
        answer,
        status: round.status,
        openedAt: new Date(round.openedAt).toISOString(),
        counts: tally.counts,
        voted: tally.voted,
        correct: answer === null ? null : (tally.counts[answer] ?? 0),
      };
    }),
  };
}
