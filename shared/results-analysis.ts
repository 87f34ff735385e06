/**
 * What the organizer's dashboard, the printed report and the exports derive from a session's results:
 * per-question rounds (first ask vs re-vote), each participant's answers, per-group rates and the
 * joining timeline. Pure and zod-free, so the server's export builders and the pages
 * compute every number the same way.
 */
import type { OptionView, ResultParticipant, ResultRound, ResultsPayload } from './contract.ts';

/** The share of voters who chose the answer (0–1), or null with no votes. */
export function correctRate(round: Pick<ResultRound, 'correct' | 'voted'>): number | null {
  return round.voted > 0 && round.correct !== null ? round.correct / round.voted : null;
}

/** 「○ 正しい」 for an option key of the round, or the key itself when unknown. */
export function choiceLabel(options: readonly OptionView[], key: string | null): string {
  if (key === null) return '';
  const option = options.find((candidate) => candidate.key === key);
  return option ? `${option.symbol} ${option.text}` : key;
}

/** A question as asked in the session: its rounds in order (1, then the re-votes). */
export interface AskedQuestion {
  questionId: string;
  prompt: string;
  chapterTitle: string | null;
  caseName: string | null;
  rounds: ResultRound[];
  first: ResultRound;
  /** The last re-vote, or null when the question was asked once. */
  revote: ResultRound | null;
  /** Change of the correct rate from the first round to the last re-vote, in percentage points. */
  shiftPoints: number | null;
}

export function askedQuestions(results: Pick<ResultsPayload, 'rounds'>): AskedQuestion[] {
  const byQuestion = new Map<string, ResultRound[]>();
  for (const round of results.rounds) {
    const rounds = byQuestion.get(round.questionId) ?? [];
    rounds.push(round);
    byQuestion.set(round.questionId, rounds);
  }
  return [...byQuestion.values()].map((rounds) => {
    const sorted = [...rounds].sort((a, b) => a.number - b.number);
    const first = sorted[0] as ResultRound;
    const revote = sorted.length > 1 ? (sorted.at(-1) as ResultRound) : null;
    const firstRate = correctRate(first);
    const revoteRate = revote ? correctRate(revote) : null;
    return {
      questionId: first.questionId,
      prompt: first.prompt,
      chapterTitle: first.chapterTitle,
      caseName: first.caseName,
      rounds: sorted,
      first,
      revote,
      shiftPoints: firstRate !== null && revoteRate !== null ? roundTo((revoteRate - firstRate) * 100, 1) : null,
    };
  });
}

/** The shift in percentage points of each re-vote round (by round id) from its question's first round. */
export function shiftsByRound(results: Pick<ResultsPayload, 'rounds'>): Map<string, number | null> {
  return new Map(askedQuestions(results).flatMap((question) => (question.revote ? [[question.revote.roundId, question.shiftPoints] as const] : [])));
}

/** The counts of a round's options in their order, padded with null to `slots` columns (○/A, ×/B, C, D). */
export function countsInOrder(round: Pick<ResultRound, 'options' | 'counts'>, slots = 4): Array<number | null> {
  return Array.from({ length: slots }, (_, position) => {
    const option = round.options[position];
    return option ? (round.counts[option.key] ?? 0) : null;
  });
}

/** One participant's answer to one round: what they chose and whether it was right. */
export interface RoundAnswer {
  choice: string;
  isCorrect: boolean | null;
}

/** One row of the per-participant table: a participant and a question. */
export interface ParticipantAnswerRow {
  participant: ResultParticipant;
  question: AskedQuestion;
  first: RoundAnswer | null;
  revote: RoundAnswer | null;
}

function answerIn(round: ResultRound | null, participant: number): RoundAnswer | null {
  const vote = round?.votes.find((candidate) => candidate.participant === participant);
  if (!round || !vote) return null;
  return { choice: vote.choice, isCorrect: round.answer === null ? null : vote.choice === round.answer };
}

/** One row per participant × question, participants in join order, questions in the order asked. */
export function participantAnswers(results: Pick<ResultsPayload, 'rounds' | 'roster'>): ParticipantAnswerRow[] {
  const questions = askedQuestions(results);
  return results.roster.flatMap((participant) =>
    questions.map((question) => ({
      participant,
      question,
      first: answerIn(question.first, participant.number),
      revote: answerIn(question.revote, participant.number),
    })),
  );
}

export interface GroupStats {
  group: string;
  participants: number;
  /** Votes by the group's members over every round. */
  voted: number;
  correct: number;
}

/** Per-group totals; empty when no participant has a group. */
export function groupStats(results: Pick<ResultsPayload, 'rounds' | 'roster' | 'settings'>): GroupStats[] {
  const groupOf = new Map(results.roster.map((participant) => [participant.number, participant.group]));
  const names = [...new Set([...results.settings.groups, ...results.roster.map((participant) => participant.group)])].filter(
    (name): name is string => name !== null,
  );
  if (!results.roster.some((participant) => participant.group !== null)) return [];
  return names.map((group) => {
    let voted = 0;
    let correct = 0;
    for (const round of results.rounds) {
      for (const vote of round.votes) {
        if (groupOf.get(vote.participant) !== group) continue;
        voted += 1;
        if (vote.choice === round.answer) correct += 1;
      }
    }
    return { group, participants: results.roster.filter((participant) => participant.group === group).length, voted, correct };
  });
}

/** The share of all first-round votes that were correct, or null with none. */
export function overallCorrectRate(results: Pick<ResultsPayload, 'rounds'>): number | null {
  const firsts = results.rounds.filter((round) => round.number === 1);
  const voted = firsts.reduce((sum, round) => sum + round.voted, 0);
  const correct = firsts.reduce((sum, round) => sum + (round.correct ?? 0), 0);
  return voted > 0 ? correct / voted : null;
}

/** Participants joined by each minute since the first join: the participation timeline. */
export function joinTimeline(roster: readonly ResultParticipant[]): Array<{ minute: number; joined: number }> {
  if (roster.length === 0) return [];
  const times = roster.map((participant) => Date.parse(participant.joinedAt)).sort((a, b) => a - b);
  const start = times[0] as number;
  const last = Math.floor(((times.at(-1) as number) - start) / 60_000);
  return Array.from({ length: last + 1 }, (_, minute) => ({ minute, joined: times.filter((time) => time < start + (minute + 1) * 60_000).length }));
}

export function roundTo(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** 87.5% style, or — with no data. */
export function percentText(rate: number | null): string {
  return rate === null ? '—' : `${roundTo(rate * 100, 1)}%`;
}
