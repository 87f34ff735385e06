/** The time a throttle reads and the timers it sets; tests pass a fake one. */
export interface ThrottleTimer {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimer: ThrottleTimer = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Calls `send` at most once per interval per key: the first change goes out at once, later ones in
 * the interval are folded into one call at its end, which reads the latest state.
 */
export class KeyedThrottle<Key> {
  private readonly lastSentAt = new Map<Key, number>();
  private readonly timers = new Map<Key, unknown>();

  constructor(
    private readonly intervalMs: number,
    private readonly send: (key: Key) => void,
    private readonly timer: ThrottleTimer = realTimer,
  ) {}

  request(key: Key): void {
    if (this.timers.has(key)) return;
    const wait = (this.lastSentAt.get(key) ?? -Infinity) + this.intervalMs - this.timer.now();
    if (wait <= 0) return this.fire(key);
    this.timers.set(
      key,
      this.timer.setTimeout(() => {
        this.timers.delete(key);
        this.fire(key);
      }, wait),
    );
  }

  close(): void {
    for (const handle of this.timers.values()) this.timer.clearTimeout(handle);
    this.timers.clear();
  }

  private fire(key: Key): void {
    this.lastSentAt.set(key, this.timer.now());
    this.send(key);
  }
}
