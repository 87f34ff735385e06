/**
 * Garbage-collection pauses read from a server started with `node --trace-gc`: one line per
 * collection on its stdout, e.g.
 * `[pid:0x…]  1869 ms: Mark-Compact 37.4 (53.6) -> 30.5 (52.1) MB, 6.52 / 0.01 ms  (+ 12.3 ms in 45 steps …, biggest step 1.2 ms, …) (average mu = …) finalize incremental marking via task; …`.
 * The first figure after "MB," is the main thread's pause. Collections the bench forced (`gc()`,
 * reason "testing") are left out, so the figures are what the seminar itself caused.
 */

/** One collection: a scavenge of the young generation or a full mark-compact of the whole heap. */
export interface GcPause {
  kind: 'scavenge' | 'mark-compact';
  /** The atomic pause on the main thread, ms. */
  pauseMs: number;
  /** Incremental marking done in steps on the main thread before the pause (mark-compact only), ms. */
  incrementalMs: number;
  /** The longest of those steps, ms. */
  biggestStepMs: number;
  /** Heap after the collection, MB as V8 prints it. */
  heapAfterMb: number;
  reason: string;
}

/** Count, longest and total pause of one kind. */
export interface PauseSummary {
  count: number;
  maxMs: number;
  totalMs: number;
}

const LINE = /: (Scavenge|Mark-Compact)(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB, ([\d.]+) \/ [\d.]+ ms(.*)$/;
const INCREMENTAL = /\(\+ ([\d.]+) ms in \d+ steps since start of marking, biggest step ([\d.]+) ms/;
const REASON = /current mu = [\d.]+\) (.*?);/;

/** Parses one --trace-gc line; null for any other output. */
export function parseGcLine(line: string): GcPause | null {
  const match = LINE.exec(line);
  if (!match) return null;
  const [, kind, heapAfter, pause, rest = ''] = match;
  const incremental = INCREMENTAL.exec(rest);
  return {
    kind: kind === 'Scavenge' ? 'scavenge' : 'mark-compact',
    pauseMs: Number(pause),
    incrementalMs: incremental ? Number(incremental[1]) : 0,
    biggestStepMs: incremental ? Number(incremental[2]) : 0,
    heapAfterMb: Number(heapAfter),
    reason: REASON.exec(rest)?.[1] ?? '',
  };
}

/** Collects the pauses a server reports as its output arrives (in chunks, not lines). */
export class GcTrace {
  readonly pauses: GcPause[] = [];
  private partialLine = '';

  /** Feeds a chunk of the server's stdout. */
  read(chunk: string): void {
    const lines = (this.partialLine + chunk).split('\n');
    this.partialLine = lines.pop() ?? '';
    for (const line of lines) {
      const pause = parseGcLine(line);
      if (pause && pause.reason !== 'testing') this.pauses.push(pause);
    }
  }

  /** The pauses of one kind since the `from`-th pause recorded. */
  summarize(kind: GcPause['kind'], from = 0): PauseSummary {
    let count = 0;
    let maxMs = 0;
    let totalMs = 0;
    for (const pause of this.pauses.slice(from)) {
      if (pause.kind !== kind) continue;
      count += 1;
      maxMs = Math.max(maxMs, pause.pauseMs);
      totalMs += pause.pauseMs;
    }
    return { count, maxMs, totalMs };
  }
}
