import type { SimClock, SimTimer } from '../clock/sim-clock.js';

/**
 * An RTC alarm every `everyMs` from now: `fn` gets the alarm's own time, an exact multiple of the
 * period, however late the host's timer fires (a loaded host at high simulation speed), so a
 * reading is stamped with when the device woke for it.
 */
export function rtcAlarm(clock: SimClock, everyMs: number, fn: (at: number) => void): SimTimer {
  let next = clock.now() + everyMs;
  let timer: SimTimer | undefined;
  let cancelled = false;
  const schedule = () => {
    timer = clock.after(Math.max(0, next - clock.now()), () => {
      if (cancelled) return;
      const at = next;
      next += everyMs;
      schedule();
      fn(at);
    });
  };
  schedule();
  return {
    cancel: () => {
      cancelled = true;
      timer?.cancel();
    },
  };
}
