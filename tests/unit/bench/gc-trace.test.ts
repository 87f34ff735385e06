import { describe, expect, it } from 'vitest';
import { GcTrace, parseGcLine } from '../../../scripts/bench/gc-trace.ts';

const SCAVENGE = '[15927:0x37b67470]       16 ms: Scavenge 3.9 (4.0) -> 3.6 (5.0) MB, 0.88 / 0.00 ms  (average mu = 1.000, current mu = 1.000) allocation failure; ';
const INCREMENTAL =
  '[15958:0x1fb05080]      683 ms: Mark-Compact 286.5 (323.2) -> 286.2 (323.2) MB, 6.06 / 0.01 ms  (+ 152.7 ms in 79 steps since start of marking, biggest step 10.9 ms, walltime since start of marking 228 ms) (average mu = 1.000, current mu = 1.000) finalize incremental marking via stack guard; GC in old space requested';
const FORCED = '[15958:0x1fb05080]     4655 ms: Mark-Compact 1147.9 (1197.6) -> 1147.3 (1197.6) MB, 971.29 / 0.01 ms  (average mu = 0.755, current mu = 0.755) testing; GC in old space requested';

describe('reading --trace-gc output', () => {
  it('reads the pause, the incremental steps, the heap after and the reason of a collection', () => {
    expect(parseGcLine(SCAVENGE)).toEqual({ kind: 'scavenge', pauseMs: 0.88, incrementalMs: 0, biggestStepMs: 0, heapAfterMb: 3.6, reason: 'allocation failure' });
    expect(parseGcLine(INCREMENTAL)).toEqual({
      kind: 'mark-compact',
      pauseMs: 6.06,
      incrementalMs: 152.7,
      biggestStepMs: 10.9,
      heapAfterMb: 286.2,
      reason: 'finalize incremental marking via stack guard',
    });
    expect(parseGcLine('{"level":30,"msg":"session loaded"}')).toBeNull();
  });

  it('leaves out collections the bench forced, and reads lines split across chunks', () => {
    const trace = new GcTrace();
    const output = `${SCAVENGE}\n${FORCED}\n${INCREMENTAL}\n`;
    trace.read(output.slice(0, 50));
    trace.read(output.slice(50));
    expect(trace.pauses.map((pause) => pause.kind)).toEqual(['scavenge', 'mark-compact']);
    expect(trace.summarize('mark-compact')).toEqual({ count: 1, maxMs: 6.06, totalMs: 6.06 });
  });
});
