import { onClockNow } from './clock-step.js';
import { cohortPlan } from './cohort-plan.js';
import { WAITING } from './job-transitions.js';
import type { RolloutJobRecord, RolloutRecord } from './ports.js';

/**
 * The current cohort's jobs due at `now`: pending ones, and ones sent or in progress with no word
 * from the device for the job timeout (counted on the clock as it is now: clock-step.ts).
 */
export function wantedJobs(
  rollout: RolloutRecord,
  jobs: readonly RolloutJobRecord[],
  now: number,
): RolloutJobRecord[] {
  const plan = cohortPlan(rollout, jobs);
  const cohort = plan.active.slice(0, plan.sizes[rollout.stageIndex]);
  const heard = (j: RolloutJobRecord) => Math.max(j.lastSentAt ?? 0, j.lastStatusAt ?? 0);
  const quiet = (j: RolloutJobRecord) =>
    WAITING.includes(j.state) && now - onClockNow(heard(j), rollout, now) >= rollout.jobTimeoutMs;
  return cohort.filter((j) => j.state === 'pending' || quiet(j));
}

/**
 * What becomes of the due jobs: one out of attempts is timed-out; one whose store is open now is
 * sent (another attempt). Returns the jobs changed, those to send, and how many timed out.
 */
export function dueChanges(
  rollout: RolloutRecord,
  wanted: readonly RolloutJobRecord[],
  open: ReadonlySet<string>,
  now: number,
): { changed: RolloutJobRecord[]; toSend: RolloutJobRecord[]; timedOut: number } {
  const changed: RolloutJobRecord[] = [];
  const toSend: RolloutJobRecord[] = [];
  let timedOut = 0;
  for (const job of wanted) {
    if (job.state !== 'pending' && job.attempts >= rollout.maxAttempts) {
      changed.push({ ...job, state: 'timed-out', detail: 'timed-out', finishedAt: now });
      timedOut++;
    } else if (open.has(job.storeId)) {
      const sent: RolloutJobRecord = {
        ...job,
        state: 'sent',
        attempts: job.attempts + 1,
        firstSentAt: job.firstSentAt ?? now,
        lastSentAt: now,
      };
      changed.push(sent);
      toSend.push(sent);
    }
  }
  return { changed, toSend, timedOut };
}
