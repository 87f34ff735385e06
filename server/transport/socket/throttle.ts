/** The timers a throttle sets; tests pass a fake one. */
export interface ThrottleTimer {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimer: ThrottleTimer = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Calls `send` at most once per interval per key: the first change goes out at once, later ones in
 * the interval are folded into one call at its end, which reads the latest state. A key is held only
 * until an interval ends with nothing to send, so an unloaded room is not kept alive by its throttles.
 */
export class KeyedThrottle<Key> {
  /** Keys inside an interval after a send, with the timer ending it and whether a change waits for that end. */
  private readonly cooling = new Map<Key, { handle: unknown; isPending: boolean }>();

  constructor(
    private readonly intervalMs: number,
    private readonly send: (key: Key) => void,
    private readonly timer: ThrottleTimer = realTimer,
  ) {}

  /** How many keys the throttle holds now. */
  get size(): number {
    return this.cooling.size;
  }

  request(key: Key): void {
    const interval = this.cooling.get(key);
    if (interval) interval.isPending = true;
    else this.fire(key);
  }

  close(): void {
    for (const { handle } of this.cooling.values()) this.timer.clearTimeout(handle);
    this.cooling.clear();
  }

  private fire(key: Key): void {
    const interval = { handle: undefined as unknown, isPending: false };
    interval.handle = this.timer.setTimeout(() => {
      this.cooling.delete(key);
      if (interval.isPending) this.fire(key);
    }, this.intervalMs);
    this.cooling.set(key, interval);
    this.send(key);
  }
}
