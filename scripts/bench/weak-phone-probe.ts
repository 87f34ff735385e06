/**
 * What the bench injects into the participant page before its own scripts run: it timestamps, with the
 * page's clock (performance.now()), the moments the bench measures. It only observes: it wraps
 * WebSocket to see the connection's life and the `participant:synced` snapshots, watches the DOM with
 * a MutationObserver, and notes the taps and the network events.
 *
 * A watcher records `at` when its condition first holds after a DOM change or a network event, and
 * `frameAt` at the next animation frame (the first frame that can show it). Kept as plain JavaScript
 * text so no compiler helper ends up in the page.
 */

/** The probe's state as read back by the bench (`window.__kotaeProbe`). */
export interface ProbeState {
  watchers: Record<string, { at: number; frameAt: number | null } | undefined>;
  sockets: Array<{ event: 'created' | 'open' | 'close'; at: number }>;
  synced: Array<{ at: number; roundId: string | null; myChoice: string | null }>;
  taps: { join?: number; vote?: number };
  onlineAt: number | null;
  offlineAt: number | null;
}

/** The watchers the bench can arm, and what each waits for. */
export type WatcherName = 'joinFormUsable' | 'optionUsable' | 'pushedOptionUsable' | 'voteRecorded' | 'backWithVote';

export const PROBE_SCRIPT = String.raw`(() => {
  const probe = { watchers: {}, sockets: [], synced: [], taps: {}, onlineAt: null, offlineAt: null };
  const armed = new Map();
  window.__kotaeProbe = probe;

  const usableOption = () => {
    const button = document.querySelector('#app button.option-o');
    if (!button || button.disabled) return null;
    const box = button.getBoundingClientRect();
    return box.width > 0 && box.height > 0 ? button : null;
  };
  const promptText = () => document.querySelector('#app .prompt')?.textContent ?? null;
  const conditions = {
    joinFormUsable: () => {
      const button = document.querySelector('#app form.join button[type=submit]');
      return Boolean(button && !button.disabled);
    },
    optionUsable: () => usableOption() !== null,
    pushedOptionUsable: (context) => usableOption() !== null && promptText() !== context.previousPrompt,
    voteRecorded: () => document.querySelector('#app .feedback.done') !== null,
    backWithVote: () =>
      probe.onlineAt !== null &&
      probe.synced.some((snapshot) => snapshot.at > probe.onlineAt) &&
      document.querySelector('#status')?.dataset.state === 'connected' &&
      document.querySelector('#app .feedback.done') !== null,
  };
  const check = () => {
    for (const [name, context] of armed) {
      if (!conditions[name](context)) continue;
      armed.delete(name);
      const record = { at: performance.now(), frameAt: null };
      probe.watchers[name] = record;
      requestAnimationFrame(() => (record.frameAt = performance.now()));
    }
  };
  probe.arm = (name, context = {}) => {
    delete probe.watchers[name];
    armed.set(name, context);
    check();
  };
  probe.arm('joinFormUsable');
  probe.arm('optionUsable');

  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(url, protocols) {
      super(url, protocols);
      probe.sockets.push({ event: 'created', at: performance.now() });
      this.addEventListener('open', () => probe.sockets.push({ event: 'open', at: performance.now() }));
      this.addEventListener('close', () => probe.sockets.push({ event: 'close', at: performance.now() }));
      this.addEventListener('message', (event) => {
        if (typeof event.data !== 'string' || !event.data.startsWith('42["participant:synced"')) return;
        const snapshot = JSON.parse(event.data.slice(2))[1];
        probe.synced.push({ at: performance.now(), roundId: snapshot.round?.roundId ?? null, myChoice: snapshot.myChoice ?? null });
      });
    }
  };

  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (target?.closest('form.join button[type=submit]')) probe.taps.join = event.timeStamp;
    if (target?.closest('#app button.option-o')) probe.taps.vote = event.timeStamp;
  }, true);
  window.addEventListener('online', () => (probe.onlineAt = performance.now()), true);
  window.addEventListener('offline', () => (probe.offlineAt = performance.now()), true);
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
})();`;
