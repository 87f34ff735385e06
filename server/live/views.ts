/** What each role is shown of a live session. Phones never get an answer before the reveal. */
import type {
  DeckQuestion,
  ParticipantRoundView,
  ParticipantSnapshot,
  PresenterRoundView,
  PresenterSnapshot,
  SessionSummary,
  Tally,
} from '../../shared/protocol.ts';
import type { Question } from '../../shared/course.ts';
import { findQuestion, optionsOf } from '../course/course-catalog.ts';
import { tallyOf } from '../domain/poll.ts';
import type { Session } from '../domain/session.ts';
import type { Participant } from '../storage/participant.repository.ts';
import { currentRound, deckPosition, type LiveSession } from './session-service.ts';

export function sessionSummary(session: Session): SessionSummary {
  return {
    code: session.code,
    title: session.title,
    courseId: session.courseId,
    variantId: session.variantId,
    state: session.state,
  };
}

export function currentTally(live: LiveSession): Tally | null {
  const round = currentRound(live);
  return round ? tallyOf(round, live.votes.values(), live.participantCount) : null;
}

function requireQuestion(live: LiveSession, questionId: string): Question {
  const question = findQuestion(live.course, questionId);
  if (!question) throw new Error(`question ${questionId} vanished from course ${live.course.manifest.id}`);
  return question;
}

export function participantRoundView(live: LiveSession): ParticipantRoundView | null {
  const round = currentRound(live);
  if (!round) return null;
  const question = requireQuestion(live, round.questionId);
  return {
    roundId: round.id,
    questionId: round.questionId,
    kind: question.kind,
    number: round.number,
    prompt: question.prompt,
    facts: question.kind === 'case' ? question.facts : null,
    options: optionsOf(question),
    status: round.status,
    reveal:
      round.status === 'revealed'
        ? {
            answer: question.answer,
            explanation: question.explanation,
            lesson: question.kind === 'case' ? question.lesson : null,
          }
        : null,
  };
}

export function presenterRoundView(live: LiveSession): PresenterRoundView | null {
  const round = currentRound(live);
  const tally = currentTally(live);
  if (!round || !tally) return null;
  const question = requireQuestion(live, round.questionId);
  return {
    roundId: round.id,
    questionId: round.questionId,
    number: round.number,
    status: round.status,
    options: optionsOf(question),
    answer: question.answer,
    tally,
  };
}

export function participantSnapshot(live: LiveSession, participant: Participant): ParticipantSnapshot {
  return {
    session: sessionSummary(live.session),
    participant: { id: participant.id, nickname: participant.nickname },
    deck: deckPosition(live),
    round: participantRoundView(live),
    myChoice: live.votes.get(participant.id) ?? null,
  };
}

export function presenterSnapshot(live: LiveSession, joinUrl: string, connectedParticipants: number): PresenterSnapshot {
  return {
    session: sessionSummary(live.session),
    joinUrl,
    deck: deckPosition(live),
    round: presenterRoundView(live),
    participants: live.participantCount,
    connectedParticipants,
  };
}

export function deckQuestion(question: Question): DeckQuestion {
  return {
    id: question.id,
    kind: question.kind,
    prompt: question.prompt,
    facts: question.kind === 'case' ? question.facts : null,
    caseLabel: question.kind === 'case' ? `${question.case.court} ${question.case.date}（${question.case.outcome}）` : null,
    options: optionsOf(question),
    answer: question.answer,
    explanation: question.explanation,
    lesson: question.kind === 'case' ? question.lesson : null,
    basis: question.basis,
  };
}
