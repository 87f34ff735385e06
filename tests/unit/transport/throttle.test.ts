import { describe, expect, it } from 'vitest';
import { KeyedThrottle, type ThrottleTimer } from '../../../server/transport/socket/throttle.ts';

/** A timer whose clock moves only when the test says so. */
function fakeTimer(): ThrottleTimer & { now(): number; advance(ms: number): void } {
  let now = 0;
  let timers: Array<{ at: number; callback: () => void; handle: number }> = [];
  let nextHandle = 0;
  return {
    now: () => now,
    setTimeout(callback, ms) {
      const handle = ++nextHandle;
      timers.push({ at: now + ms, callback, handle });
      return handle;
    },
    clearTimeout(handle) {
      timers = timers.filter((timer) => timer.handle !== handle);
    },
    advance(ms) {
      now += ms;
      const due = timers.filter((timer) => timer.at <= now);
      timers = timers.filter((timer) => timer.at > now);
      for (const timer of due) timer.callback();
    },
  };
}

describe('KeyedThrottle', () => {
  it('sends the first change at once and folds the rest of the interval into one send at its end', () => {
    const timer = fakeTimer();
    const sent: Array<[string, number]> = [];
    const throttle = new KeyedThrottle<string>(100, (key) => sent.push([key, timer.now()]), timer);
    throttle.request('a');
    throttle.request('a');
    timer.advance(30);
    throttle.request('a');
    expect(sent).toEqual([['a', 0]]);
    timer.advance(69);
    expect(sent).toEqual([['a', 0]]);
    timer.advance(1);
    expect(sent).toEqual([
      ['a', 0],
      ['a', 100],
    ]);
    timer.advance(500);
    expect(sent).toHaveLength(2);
  });

  it('throttles each key on its own', () => {
    const timer = fakeTimer();
    const sent: string[] = [];
    const throttle = new KeyedThrottle<string>(100, (key) => sent.push(key), timer);
    throttle.request('a');
    throttle.request('b');
    throttle.request('a');
    expect(sent).toEqual(['a', 'b']);
    timer.advance(100);
    expect(sent).toEqual(['a', 'b', 'a']);
  });

  it('sends nothing more once closed', () => {
    const timer = fakeTimer();
    const sent: string[] = [];
    const throttle = new KeyedThrottle<string>(100, (key) => sent.push(key), timer);
    throttle.request('a');
    throttle.request('a');
    throttle.close();
    timer.advance(1000);
    expect(sent).toEqual(['a']);
  });

  it('holds a key only until an interval ends with nothing to send', () => {
    const timer = fakeTimer();
    const throttle = new KeyedThrottle<string>(100, () => {}, timer);
    throttle.request('a');
    throttle.request('a');
    timer.advance(100);
    expect(throttle.size).toBe(1);
    timer.advance(100);
    expect(throttle.size).toBe(0);
  });
});
