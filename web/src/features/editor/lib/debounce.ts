/**
 * Autosave timing: one timer per key (a file path). Each edit restarts that file's timer;
 * `flush` runs a pending save now (on blur, tab close or Ctrl+S), `cancel` drops it.
 */
export interface KeyedDebouncer {
  schedule: (key: string) => void;
  flush: (key?: string) => void;
  cancel: (key?: string) => void;
  pending: (key: string) => boolean;
  setDelay: (ms: number) => void;
}

export function createKeyedDebouncer(run: (key: string) => void, delayMs: number): KeyedDebouncer {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  let delay = delayMs;

  const fire = (key: string) => {
    const timer = timers.get(key);
    if (timer === undefined) return;
    clearTimeout(timer);
    timers.delete(key);
    run(key);
  };
  const keys = (key?: string) => (key === undefined ? [...timers.keys()] : [key]);

  return {
    schedule(key) {
      const timer = timers.get(key);
      if (timer !== undefined) clearTimeout(timer);
      timers.set(
        key,
        setTimeout(() => fire(key), delay),
      );
    },
    flush(key) {
      for (const k of keys(key)) fire(k);
    },
    cancel(key) {
      for (const k of keys(key)) {
        const timer = timers.get(k);
        if (timer !== undefined) clearTimeout(timer);
        timers.delete(k);
      }
    },
    pending: (key) => timers.has(key),
    setDelay(ms) {
      delay = ms;
    },
  };
}
