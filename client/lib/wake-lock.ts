/** Keeps the screen on where the browser supports it (a secure context): a phone while a question is open, the console remote all the time. */
export function keepScreenAwake(): { setWanted(isWanted: boolean): void } {
  let sentinel: WakeLockSentinel | null = null;
  let isWanted = false;

  const acquire = async (): Promise<void> => {
    if (!('wakeLock' in navigator) || sentinel || document.visibilityState !== 'visible') return;
    try {
      sentinel = await navigator.wakeLock.request('screen');
      sentinel.addEventListener('release', () => {
        sentinel = null;
      });
    } catch {
      sentinel = null;
    }
  };

  // The browser drops the lock when the page is hidden; take it again on return.
  document.addEventListener('visibilitychange', () => {
    if (isWanted) void acquire();
  });

  return {
    setWanted(wanted) {
      isWanted = wanted;
      if (wanted) void acquire();
      else if (sentinel) void sentinel.release().catch(() => undefined);
    },
  };
}
