/**
 * Pacing: how long the deck has spent in each part of the plan (a chapter, a break or Q&A slot),
 * from the log of its moves. Pure: the moves and `now` in, the times out.
 */

/** One move of the deck: the slide it went to, and when. */
export interface DeckMove {
  slideId: string;
  movedAt: number;
}

export interface PartTimes {
  /** When the deck first left the title slide; null before. */
  startedAt: number | null;
  /** Per part: time spent before the latest move. */
  spentMs: Map<string, number>;
  firstEnteredAt: Map<string, number>;
  /** The part the deck is in now, and when the running stretch began (the latest move). */
  current: { partId: string; since: number } | null;
}

/**
 * Adds up the time between consecutive moves to the part of the slide the deck was on; time on a
 * slide of no part (the title) is not counted.
 */
export function partTimes(moves: readonly DeckMove[], partOf: (slideId: string) => string | null): PartTimes {
  const spentMs = new Map<string, number>();
  const firstEnteredAt = new Map<string, number>();
  let startedAt: number | null = null;
  moves.forEach((move, index) => {
    const partId = partOf(move.slideId);
    if (partId === null) return;
    startedAt ??= move.movedAt;
    if (!firstEnteredAt.has(partId)) firstEnteredAt.set(partId, move.movedAt);
    const next = moves[index + 1];
    if (next) spentMs.set(partId, (spentMs.get(partId) ?? 0) + (next.movedAt - move.movedAt));
  });
  const last = moves.at(-1);
  const lastPart = last ? partOf(last.slideId) : null;
  return { startedAt, spentMs, firstEnteredAt, current: last && lastPart !== null ? { partId: lastPart, since: last.movedAt } : null };
}
