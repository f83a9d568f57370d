/**
 * Runs `work` every `everyMs`, never two at once: a tick that comes while the last run is still
 * going is skipped, so a slow store cannot pile runs up. `stop` waits for the run in flight.
 */
export function periodic(
  everyMs: number,
  work: () => Promise<void>,
): { stop(): Promise<void>; readonly idle: Promise<void> } {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = work().finally(() => {
      running = undefined;
    });
  }, everyMs);
  timer.unref();
  return {
    get idle() {
      return running ?? Promise.resolve();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
