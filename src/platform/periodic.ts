/**
 * Runs `work` every `everyMs`, never two at once: a tick that comes while the last run is still
 * going is skipped, so a slow store cannot pile runs up. `stop` waits for the run in flight.
 */
export function periodic(everyMs: number, work: () => Promise<void>): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = work().finally(() => {
      running = undefined;
    });
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
