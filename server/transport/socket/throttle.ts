/**
 * Calls `send` at most once per interval per key: the first change goes out at once, later ones in
 * the interval are folded into one call at its end, which reads the latest state.
 */
export class KeyedThrottle {
  private readonly lastSentAt = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly intervalMs: number,
    private readonly send: (key: string) => void,
  ) {}

  request(key: string): void {
    if (this.timers.has(key)) return;
    const wait = (this.lastSentAt.get(key) ?? -Infinity) + this.intervalMs - performance.now();
    if (wait <= 0) return this.fire(key);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.fire(key);
      }, wait),
    );
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private fire(key: string): void {
    this.lastSentAt.set(key, performance.now());
    this.send(key);
  }
}
