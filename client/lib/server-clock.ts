/**
 * Deadlines (the discussion timer, a break's planned end) are on the server's clock. Each screen
 * learns its offset to it from the `serverNow` of what the server sends and counts down by itself.
 */
export class ServerClock {
  private offsetMs = 0;

  /** Records the server's time of a message just received. */
  sync(serverNow: number): void {
    this.offsetMs = serverNow - Date.now();
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Milliseconds left until a deadline on the server's clock (negative once past). */
  msUntil(deadline: number): number {
    return deadline - this.now();
  }
}

/** 2:05 for 125 s; rounds up, so the display shows 0:00 only when the time is up. */
export function formatCountdown(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** 1:02:05 for an hour and a bit, 12:05 below an hour: the time since the session started. */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(seconds / 3600);
  const rest = `${String(Math.floor((seconds % 3600) / 60)).padStart(hours > 0 ? 2 : 1, '0')}:${String(seconds % 60).padStart(2, '0')}`;
  return hours > 0 ? `${hours}:${rest}` : rest;
}

/** How long a timer keeps showing 「時間です」 after it ran out before screens hide it by themselves. */
export const TIMER_LINGER_MS = 60_000;
