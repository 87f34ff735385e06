/**
 * Poll rounds: one question asked once, open -> closed -> revealed, with at most one vote per
 * participant. Pure rules: state and `now` come in, a decision comes out.
 */
import { ErrorCode, type GroupTally, type RoundShift, type RoundStatus, type Tally } from '../../shared/contract.ts';
import { allow, refuse, type Decision } from './domain-error.ts';

export interface Round {
  id: string;
  sessionId: string;
  questionId: string;
  /** 1 the first time a question is asked in the session, 2 for the re-vote after discussion, … */
  number: number;
  /** The option keys a vote may take. */
  optionKeys: readonly string[];
  status: RoundStatus;
  openedAt: number;
  closedAt: number | null;
  revealedAt: number | null;
  /** Who closed it: the presenter, or the deck moving on (a round with no votes closed so is a leftover). */
  closedBy: RoundCloser | null;
}

export type RoundCloser = 'presenter' | 'moved-on';

/** A participant's vote on a round. */
export interface Vote {
  roundId: string;
  participantId: string;
  choice: string;
  castAt: number;
}

export interface OpenRoundCommand {
  id: string;
  sessionId: string;
  questionId: string;
  optionKeys: readonly string[];
  /** Rounds the session has asked before, to number the new one. */
  earlierRounds: readonly Pick<Round, 'questionId'>[];
}

export function openRound(command: OpenRoundCommand, now: number): Round {
  const timesAsked = command.earlierRounds.filter((round) => round.questionId === command.questionId).length;
  return {
    id: command.id,
    sessionId: command.sessionId,
    questionId: command.questionId,
    number: timesAsked + 1,
    optionKeys: command.optionKeys,
    status: 'open',
    openedAt: now,
    closedAt: null,
    revealedAt: null,
    closedBy: null,
  };
}

/** Decides whether a vote counts; a changed vote replaces the earlier one. */
export function castVote(round: Round | null, participantId: string, roundId: string, choice: string, now: number): Decision<Vote> {
  if (!round || round.id !== roundId) return refuse(ErrorCode.roundNotFound, 'この設問は現在出題されていません');
  if (round.status !== 'open') return refuse(ErrorCode.roundNotOpen, '回答の受付は終了しました');
  if (!round.optionKeys.includes(choice)) return refuse(ErrorCode.invalidChoice, `choice must be one of ${round.optionKeys.join(', ')}`);
  return allow({ roundId, participantId, choice, castAt: now });
}

export function closeRound(round: Round | null, roundId: string, now: number, closedBy: RoundCloser = 'presenter'): Decision<Round> {
  if (!round || round.id !== roundId) return refuse(ErrorCode.roundNotFound, 'no such round in this session');
  if (round.status !== 'open') return refuse(ErrorCode.roundNotOpen, 'the round is already closed');
  return allow({ ...round, status: 'closed', closedAt: now, closedBy });
}

/** Reveals the answer; an open round is closed at the same moment. */
export function revealRound(round: Round | null, roundId: string, now: number): Decision<Round> {
  if (!round || round.id !== roundId) return refuse(ErrorCode.roundNotFound, 'no such round in this session');
  if (round.status === 'revealed') return refuse(ErrorCode.roundAlreadyRevealed, 'the round is already revealed');
  return allow({
    ...round,
    status: 'revealed',
    closedAt: round.closedAt ?? now,
    closedBy: round.closedBy ?? 'presenter',
    revealedAt: now,
  });
}

/** A round that no one voted in and that the deck closed by moving on: a leftover, not a result. */
export function isLeftover(round: Round, votes: number): boolean {
  return votes === 0 && round.closedBy === 'moved-on' && round.status === 'closed';
}

/** Counts the votes, one per participant by construction of the map. */
export function tallyOf(round: Round, choices: Iterable<string>, participants: number): Tally {
  const counts: Record<string, number> = Object.fromEntries(round.optionKeys.map((key) => [key, 0]));
  let voted = 0;
  for (const choice of choices) {
    counts[choice] = (counts[choice] ?? 0) + 1;
    voted += 1;
  }
  return { roundId: round.id, counts, voted, participants };
}

function emptyCounts(round: Round): Record<string, number> {
  return Object.fromEntries(round.optionKeys.map((key) => [key, 0]));
}

/** The counts of each group, in the session's order of groups; participants without a group are left out. */
export function groupTallies(round: Round, votes: ReadonlyMap<string, string>, groupOf: (participantId: string) => string | null, groups: readonly string[]): GroupTally[] {
  const byGroup = new Map(groups.map((group) => [group, { group, counts: emptyCounts(round), voted: 0 }]));
  for (const [participantId, choice] of votes) {
    const tally = byGroup.get(groupOf(participantId) ?? '');
    if (!tally) continue;
    tally.counts[choice] = (tally.counts[choice] ?? 0) + 1;
    tally.voted += 1;
  }
  return [...byGroup.values()];
}

/** How the room moved between two rounds of a question: who voted in both, and who changed, in which direction. */
export function roundShift(
  previous: Round,
  previousVotes: ReadonlyMap<string, string>,
  currentVotes: ReadonlyMap<string, string>,
  groupOf: (participantId: string) => string | null,
  groups: readonly string[],
): RoundShift {
  const transitions = new Map<string, { from: string; to: string; count: number }>();
  const perGroup = new Map(groups.map((group) => [group, { group, votedBoth: 0, changed: 0 }]));
  let votedBoth = 0;
  let changed = 0;
  for (const [participantId, to] of currentVotes) {
    const from = previousVotes.get(participantId);
    if (from === undefined) continue;
    votedBoth += 1;
    const group = perGroup.get(groupOf(participantId) ?? '');
    if (group) group.votedBoth += 1;
    if (from === to) continue;
    changed += 1;
    if (group) group.changed += 1;
    const key = `${from}>${to}`;
    const transition = transitions.get(key) ?? { from, to, count: 0 };
    transition.count += 1;
    transitions.set(key, transition);
  }
  return {
    previousNumber: previous.number,
    previousCounts: tallyOf(previous, previousVotes.values(), 0).counts,
    previousVoted: previousVotes.size,
    votedBoth,
    changed,
    transitions: [...transitions.values()].sort((a, b) => b.count - a.count),
    groups: [...perGroup.values()],
  };
}
