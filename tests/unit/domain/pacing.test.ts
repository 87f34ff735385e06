import { describe, expect, it } from 'vitest';
import { partTimes } from '../../../server/domain/pacing.ts';

const partOf = (slideId: string): string | null => (slideId === 'title' ? null : slideId.split('/')[0]!);

describe('pacing', () => {
  it('adds the time between moves to the part the deck was in, and leaves the running stretch to the current part', () => {
    const times = partTimes(
      [
        { slideId: 'title', movedAt: 0 },
        { slideId: 'a/1', movedAt: 100 },
        { slideId: 'a/2', movedAt: 400 },
        { slideId: 'b/1', movedAt: 1000 },
        { slideId: 'a/2', movedAt: 1500 },
        { slideId: 'b/1', movedAt: 1600 },
      ],
      partOf,
    );
    expect(times.startedAt).toBe(100);
    expect(Object.fromEntries(times.spentMs)).toEqual({ a: 1000, b: 500 });
    expect(Object.fromEntries(times.firstEnteredAt)).toEqual({ a: 100, b: 1000 });
    expect(times.current).toEqual({ partId: 'b', since: 1600 });
  });

  it('has not started while the deck has not left the title slide', () => {
    expect(partTimes([{ slideId: 'title', movedAt: 5 }], partOf)).toMatchObject({ startedAt: null, current: null });
    expect(partTimes([], partOf)).toMatchObject({ startedAt: null, current: null });
  });
});
