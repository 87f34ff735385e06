/** Pacing against the plan, from the server's pacing view and the time now (both on the server's clock). */
import type { PacingView } from '../../shared/contract.ts';

export interface PartProgress {
  id: string;
  title: string;
  kind: 'chapter' | 'break';
  plannedMinutes: number;
  actualMs: number;
  isCurrent: boolean;
}

export interface Progress {
  parts: PartProgress[];
  /** Since the deck left the title slide; 0 before. */
  elapsedMs: number;
  /** Positive: behind the plan by this much; negative: ahead. */
  behindMs: number;
  /** Until the planned end (start + total minutes); negative once past. */
  leftToEndMs: number | null;
}

const MINUTE = 60_000;

export function progressOf(pacing: PacingView, now: number): Progress {
  const current = pacing.current;
  const parts = pacing.parts.map((part) => ({
    id: part.id,
    title: part.title,
    kind: part.kind,
    plannedMinutes: part.plannedMinutes,
    actualMs: part.spentMs + (current?.partId === part.id ? Math.max(0, now - current.since) : 0),
    isCurrent: current?.partId === part.id,
  }));
  if (pacing.startedAt === null) return { parts, elapsedMs: 0, behindMs: 0, leftToEndMs: null };
  const elapsedMs = now - pacing.startedAt;
  // Where the plan expects the room to be: every part before the current one, and as much of the
  // current one as has been spent in it (up to its planned length).
  const currentIndex = parts.findIndex((part) => part.isCurrent);
  const before = currentIndex < 0 ? parts : parts.slice(0, currentIndex);
  const plannedBefore = before.reduce((sum, part) => sum + part.plannedMinutes * MINUTE, 0);
  const inCurrent = currentIndex < 0 ? 0 : Math.min(parts[currentIndex]!.actualMs, parts[currentIndex]!.plannedMinutes * MINUTE);
  return {
    parts,
    elapsedMs,
    behindMs: elapsedMs - (plannedBefore + inCurrent),
    leftToEndMs: pacing.startedAt + pacing.totalMinutes * MINUTE - now,
  };
}
