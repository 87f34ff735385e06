import { describe, expect, it } from 'vitest';
import { rangeOf, sameRunRatios } from '../../../scripts/bench/cluster-report.ts';

describe('the ranges and ratios of bench:cluster', () => {
  it('writes the lowest and the highest of the runs, or one figure when they agree', () => {
    expect(rangeOf([3.14, 1.2, 2])).toBe('1.2–3.1');
    expect(rangeOf([5, 5.04], 1)).toBe('5.0');
  });

  it('leaves out runs without a figure, and writes a dash when none has one', () => {
    expect(rangeOf([null, 4, Number.POSITIVE_INFINITY], 0)).toBe('4');
    expect(rangeOf([null, null])).toBe('—');
  });

  it('divides run by run, never one run by another run', () => {
    expect(sameRunRatios([2, 9, 4], [1, 3, 8])).toEqual([2, 3, 0.5]);
  });

  it('gives no ratio for a run missing on either side or against zero', () => {
    expect(sameRunRatios([1, null, 3, 4], [0, 2, null])).toEqual([null, null, null, null]);
  });
});
