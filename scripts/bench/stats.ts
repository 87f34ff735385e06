/** Small numeric helpers for the bench: percentiles, a seeded random source, bounded concurrency. */

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles of the samples, in the samples' unit. */
export function summarize(samples: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  const count = sorted.length;
  const at = (fraction: number): number => (count === 0 ? 0 : (sorted[Math.min(count - 1, Math.ceil(fraction * count) - 1)] ?? 0));
  let total = 0;
  for (const value of sorted) total += value;
  return { count, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: count === 0 ? 0 : (sorted[count - 1] ?? 0), mean: count === 0 ? 0 : total / count };
}

/** mulberry32: a tiny deterministic generator so every run of a scenario votes the same way. */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Fisher–Yates shuffle of 0..count-1. */
export function shuffleIndexes(count: number, random: () => number): number[] {
  const indexes = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [indexes[i], indexes[j]] = [indexes[j] as number, indexes[i] as number];
  }
  return indexes;
}

/** Runs `task` for 0..count-1 with at most `limit` in flight; resolves with the results in order. */
export async function mapWithConcurrency<T>(count: number, limit: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  return results;
}

/** Lets pending I/O callbacks run (setImmediate), without the ≥ 1 ms of a timer. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves once `isDone()` holds, checking every `everyMs`; false if `timeoutMs` passed first. */
export async function waitUntil(isDone: () => boolean, timeoutMs: number, everyMs = 2): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!isDone()) {
    if (performance.now() > deadline) return false;
    await sleep(everyMs);
  }
  return true;
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
