/**
 * Steps of the host's wall clock while the platform runs (NTP stepping it, `date -s`, a VM
 * resumed), found by reading it beside the monotonic clock: NTP's slewing moves both alike, a step
 * moves only the wall clock. Durations the platform measures between marks on the wall clock (a
 * rollout stage's soak, a job's timeout, a download URL's lifetime) take the steps out, so an
 * hour's step is not an hour passed, and a step back is not time running backwards.
 */
export interface ClockSteps {
  /** The sum of the steps seen since the platform started, ms (positive: the clock went forward). */
  totalMs(): number;
}

/** Steps smaller than this are the two clocks read a moment apart, or slewing: not steps. */
const TOLERANCE_MS = 1000;

export function watchClockSteps(
  wall: () => number = Date.now,
  monotonic: () => number = () => performance.now(),
): ClockSteps {
  let total = 0;
  // The wall clock less the monotonic one, as last read: a step changes it by the step.
  let anchor = wall() - monotonic();
  return {
    totalMs() {
      const now = wall() - monotonic();
      if (Math.abs(now - anchor) >= TOLERANCE_MS) total += Math.round(now - anchor);
      anchor = now;
      return total;
    },
  };
}

/** For a platform whose clock is injected (tests): its jumps are the test's time passing. */
export const NO_CLOCK_STEPS: ClockSteps = { totalMs: () => 0 };
