import { cohortSizes } from './cohorts.js';
import type { RolloutJobRecord, RolloutRecord } from './ports.js';

export interface CohortPlan {
  /** The jobs that take part, in cohort order: all but unsent jobs in opted-out stores. */
  readonly active: readonly RolloutJobRecord[];
  /** Cumulative cohort size of each stage over `active`. */
  readonly sizes: readonly number[];
  /** Unsent jobs left out because their store opted out. */
  readonly optedOut: number;
}

/**
 * Which jobs each stage covers. A store that opts out loses its unsent jobs from the order, so
 * later devices move up and every stage keeps its share of the devices that remain; jobs already
 * sent stay where they were (the update is on its way or done). O(n).
 */
export function cohortPlan(rollout: RolloutRecord, jobs: readonly RolloutJobRecord[]): CohortPlan {
  const opted = new Set(rollout.optOuts.map((o) => o.storeId));
  const active =
    opted.size === 0 ? jobs : jobs.filter((j) => j.state !== 'pending' || !opted.has(j.storeId));
  let canary: number | null = null;
  if (rollout.canaryDeviceIds.length > 0) {
    const named = new Set(rollout.canaryDeviceIds);
    canary = active.filter((j) => named.has(j.deviceId)).length;
  }
  return {
    active,
    sizes: cohortSizes(rollout.stages, active.length, canary),
    optedOut: jobs.length - active.length,
  };
}
