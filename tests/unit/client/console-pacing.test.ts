import { describe, expect, it } from 'vitest';
import { progressOf } from '../../../client/console/pacing.ts';
import type { PacingView } from '../../../shared/contract.ts';

const MINUTE = 60_000;
const pacing: PacingView = {
  startedAt: 0,
  totalMinutes: 40,
  parts: [
    { id: 'a', title: 'A', kind: 'chapter', plannedMinutes: 10, spentMs: 15 * MINUTE, firstEnteredAt: 0 },
    { id: 'b', title: 'B', kind: 'chapter', plannedMinutes: 20, spentMs: 0, firstEnteredAt: 15 * MINUTE },
    { id: 'break-3', title: '休憩', kind: 'break', plannedMinutes: 10, spentMs: 0, firstEnteredAt: null },
  ],
  current: { partId: 'b', since: 15 * MINUTE },
};

describe('the console’s pacing', () => {
  it('counts the running part up to now and says how far behind the plan and how long to the planned end', () => {
    const progress = progressOf(pacing, 20 * MINUTE);
    expect(progress.parts.map((part) => part.actualMs)).toEqual([15 * MINUTE, 5 * MINUTE, 0]);
    expect(progress.elapsedMs).toBe(20 * MINUTE);
    expect(progress.behindMs).toBe(5 * MINUTE);
    expect(progress.leftToEndMs).toBe(20 * MINUTE);
  });

  it('counts time over the current part’s plan as behind too, and nothing before the start', () => {
    expect(progressOf(pacing, 40 * MINUTE).behindMs).toBe(10 * MINUTE);
    expect(progressOf({ ...pacing, startedAt: null, current: null }, 5)).toMatchObject({ elapsedMs: 0, behindMs: 0, leftToEndMs: null });
  });
});
