/**
 * Every view of a running session, in one place, over a read-only room: what phones, presenter
 * screens and the organizer are shown. Phones never get an answer, 解説 or outcome before the reveal.
 */
import type { Question } from '../../shared/course.ts';
import type {
  DeckPayload,
  DeckPosition,
  DeckQuestion,
  ParticipantRoundView,
  ParticipantSnapshot,
  PresenterRoundView,
  PresenterSnapshot,
  ResultsPayload,
  RevealView,
  SessionSummary,
  Tally,
} from '../../shared/contract.ts';
import { chaptersOfVariant, findQuestion, findVariant, optionsOf } from '../course/course-catalog.ts';
import type { Participant } from '../domain/participant.ts';
import { isLeftover, tallyOf, type Round } from '../domain/poll.ts';
import type { Session } from '../domain/session.ts';
import type { ReadonlyRoom } from './session-room.ts';

export function sessionSummary(session: Session): SessionSummary {
  return {
    code: session.code,
    title: session.title,
    courseId: session.courseId,
    variantId: session.variantId,
    state: session.state,
  };
}

export function deckPosition(room: ReadonlyRoom): DeckPosition {
  const slideId = room.session.currentSlideId;
  const chapterId = slideId === null ? null : (room.deck.find(slideId)?.chapterId ?? null);
  return { slideId, chapterId, chapterTitle: room.deck.chapterTitle(chapterId) };
}

function requireQuestion(room: ReadonlyRoom, questionId: string): Question {
  const question = findQuestion(room.course, questionId);
  if (!question) throw new Error(`question ${questionId} vanished from course ${room.course.manifest.id}`);
  return question;
}

function revealOf(question: Question): RevealView {
  return {
    answer: question.answer,
    explanation: question.explanation,
    outcome: question.kind === 'case' ? question.case.outcome : null,
    lesson: question.kind === 'case' ? question.lesson : null,
  };
}

export function tallyOfRound(room: ReadonlyRoom, round: Round): Tally {
  return tallyOf(round, room.votesIn(round.id).values(), room.participantCount);
}

export function currentTally(room: ReadonlyRoom): Tally | null {
  const round = room.currentRound();
  return round ? tallyOfRound(room, round) : null;
}

export function participantRoundView(room: ReadonlyRoom): ParticipantRoundView | null {
  const round = room.currentRound();
  if (!round) return null;
  const question = requireQuestion(room, round.questionId);
  return {
    roundId: round.id,
    questionId: round.questionId,
    kind: question.kind,
    number: round.number,
    prompt: question.prompt,
    facts: question.kind === 'case' ? question.facts : null,
    options: optionsOf(question),
    status: round.status,
    reveal: round.status === 'revealed' ? revealOf(question) : null,
  };
}

/** A round as the projector shows it, answer and tally included. */
export function presenterRoundView(room: ReadonlyRoom, round: Round): PresenterRoundView {
  const question = requireQuestion(room, round.questionId);
  return {
    roundId: round.id,
    questionId: round.questionId,
    number: round.number,
    status: round.status,
    options: optionsOf(question),
    answer: question.answer,
    tally: tallyOfRound(room, round),
  };
}

export function participantSnapshot(room: ReadonlyRoom, participant: Participant): ParticipantSnapshot {
  const round = room.currentRound();
  return {
    session: sessionSummary(room.session),
    participant: { id: participant.id, nickname: participant.nickname },
    deck: deckPosition(room),
    round: participantRoundView(room),
    myChoice: round ? (room.votesIn(round.id).get(participant.id) ?? null) : null,
  };
}

export function presenterSnapshot(room: ReadonlyRoom, joinUrl: string, connectedParticipants: number): PresenterSnapshot {
  const currentRound = room.currentRound();
  return {
    session: sessionSummary(room.session),
    joinUrl,
    deck: deckPosition(room),
    round: currentRound ? presenterRoundView(room, currentRound) : null,
    participants: room.participantCount,
    connectedParticipants,
  };
}

export function deckQuestion(question: Question): DeckQuestion {
  return {
    id: question.id,
    kind: question.kind,
    prompt: question.prompt,
    facts: question.kind === 'case' ? question.facts : null,
    caseLabel: question.kind === 'case' ? `${question.case.court} ${question.case.date}` : null,
    options: optionsOf(question),
    reveal: revealOf(question),
    basis: question.basis,
  };
}

/** The slides of the session's variant, for the projector (presenter key only: it holds the answers). */
export function deckPayload(room: ReadonlyRoom, joinUrl: string): DeckPayload {
  const { course, session } = room;
  const variant = findVariant(course, session.variantId);
  if (!variant) throw new Error(`variant ${session.variantId} vanished from course ${course.manifest.id}`);
  return {
    session: sessionSummary(session),
    courseTitle: course.manifest.title,
    subtitle: course.manifest.subtitle ?? null,
    presenter: course.manifest.presenter ?? null,
    variant: { id: variant.id, title: variant.title, totalMinutes: variant.totalMinutes },
    joinUrl,
    chapters: chaptersOfVariant(course, variant).map(({ chapter, minutes }) => ({
      id: chapter.id,
      title: chapter.title,
      number: chapter.number ?? null,
      plannedMinutes: minutes,
      slides: chapter.slides.map((slide) => {
        if (slide.kind === 'content') return slide;
        return { kind: 'question' as const, id: slide.id, notes: slide.notes, question: deckQuestion(requireQuestion(room, slide.questionId)) };
      }),
    })),
  };
}

/** Every round of the session with its committed votes, for the organizer; leftovers are left out. */
export function resultsOf(room: ReadonlyRoom, joinUrl: string): ResultsPayload {
  const tallied = room.rounds.map((round) => ({ round, tally: tallyOfRound(room, round) }));
  const reported = tallied.filter(({ round, tally }) => !isLeftover(round, tally.voted));
  return {
    session: sessionSummary(room.session),
    courseTitle: room.course.manifest.title,
    joinUrl,
    createdAt: new Date(room.session.createdAt).toISOString(),
    participants: room.participantCount,
    skippedRounds: tallied.length - reported.length,
    rounds: reported.map(({ round, tally }) => {
      const question = findQuestion(room.course, round.questionId);
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
