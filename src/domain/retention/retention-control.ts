import type { RetentionReport } from './retention-job.js';

/** How the running platform's last retention run ended. */
export type RetentionLastRun =
  | { readonly at: string; readonly outcome: 'ok'; readonly report: RetentionReport }
  | { readonly at: string; readonly outcome: 'failed'; readonly error: string };

/**
 * The running platform's retention job as the API sees it (decision 063): a plan at the platform's
 * own clock, a run on request, and how the last run went. The platform applies retention once a
 * day by itself; these let an operator look and act without stopping it.
 */
export interface RetentionControl {
  /** What a run would do now, changing nothing. */
  plan(): Promise<RetentionReport>;
  /** Runs now (after a run in progress, if any), and counts as the day's run. */
  runNow(): Promise<RetentionReport>;
  /** The last run (kept across restarts), and the earliest the daily check runs again. */
  status(): { readonly last: RetentionLastRun | null; readonly nextRunAfter: string | null };
}
