/**
 * Waits between tries to reach the platform during an update (device time): about half an hour
 * in all. A platform restart or a gateway outage while a job runs is ridden out instead of
 * ending the job as failed: a failed job is final (the device runs a job id once), so one
 * platform restart would otherwise leave every device that was mid-update on the old version.
 */
export const PLATFORM_BACKOFF_MS: readonly number[] = [
  15_000, 30_000, 60_000, 120_000, 240_000, 480_000, 900_000,
];

/**
 * The platform answered and refused (an expired URL, a bad request): trying again gets the same
 * answer. The device API client says `…: HTTP <status>`.
 */
export function refusedByPlatform(error: unknown): boolean {
  return error instanceof Error && /HTTP 4\d\d\b/.test(error.message);
}

/**
 * Runs `work` until it resolves, sleeping the backoff between tries; throws the last failure when
 * the backoff is spent, at once when the platform refused (4xx), or when `stillWanted` says the
 * device went off meanwhile.
 */
export async function withPlatformBackoff<T>(
  sleep: (ms: number) => Promise<void>,
  work: () => Promise<T>,
  stillWanted: () => boolean,
  backoff: readonly number[] = PLATFORM_BACKOFF_MS,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const wait = backoff[attempt];
      if (wait === undefined || refusedByPlatform(error) || !stillWanted()) throw error;
      await sleep(wait);
      if (!stillWanted()) throw error;
    }
  }
}
