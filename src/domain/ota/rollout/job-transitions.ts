import type { Boot, JobStatus } from '../../../contract/index.js';
import type { OtaJobState, RolloutJobRecord } from './ports.js';

/** Jobs the device has been sent and not yet finished. */
export const WAITING: readonly OtaJobState[] = ['sent', 'in-progress'];

/**
 * A job-status report applied to a job; undefined when it changes nothing. Progress never moves a
 * finished job back; a timed-out job may still finish (the device was slow, not gone). A late
 * success does not undo a rollback the bootloader already reported.
 */
export function applyJobStatus(
  job: RolloutJobRecord,
  status: JobStatus,
  now: number,
): RolloutJobRecord | undefined {
  const open = WAITING.includes(job.state) || job.state === 'timed-out';
  switch (status.status) {
    case 'succeeded':
    case 'failed':
    case 'rejected':
      if (!open) return undefined;
      return {
        ...job,
        state: status.status,
        detail: status.reason ?? (status.status === 'succeeded' ? null : status.status),
        lastStatusAt: now,
        finishedAt: now,
      };
    default:
      if (!WAITING.includes(job.state)) return undefined;
      return { ...job, state: 'in-progress', detail: status.status, lastStatusAt: now };
  }
}

/**
 * A boot that says the bootloader went back to the old slot after trying this job's version:
 * the job is rolled-back, whatever the device said before (it may have reported success before
 * the new firmware failed to mark itself good). Undefined when it is not this job's rollback.
 */
export function applyRollbackBoot(
  job: RolloutJobRecord,
  targetVersion: string,
  boot: Boot,
  now: number,
): RolloutJobRecord | undefined {
  if (!boot.rolled_back || boot.previous_version !== targetVersion) return undefined;
  if (job.state === 'pending' || job.state === 'already-current' || job.state === 'rolled-back') {
    return undefined;
  }
  return {
    ...job,
    state: 'rolled-back',
    detail: 'rolled-back',
    lastStatusAt: now,
    finishedAt: now,
  };
}
