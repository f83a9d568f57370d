import { cohortPlan } from './cohort-plan.js';
import type {
  HealthEvaluation,
  OtaJobState,
  RolloutAction,
  RolloutJobRecord,
  RolloutOptOut,
  RolloutRecord,
  RolloutState,
} from './ports.js';

/** Job counts of a set of devices. */
export interface JobCounts {
  readonly devices: number;
  /** Unsent: waiting for the stage, the store's window, or left out by an opt-out. */
  readonly pending: number;
  /** Sent and not finished. */
  readonly sent: number;
  /** Succeeded, or already on the version when the rollout began. */
  readonly onNewVersion: number;
  readonly rolledBack: number;
  readonly failed: number;
  readonly rejected: number;
  readonly timedOut: number;
}

export interface StageStatus extends JobCounts {
  readonly index: number;
  readonly name: string;
  readonly durationMs: number;
  /** Devices the stage covers, counting the stages before it. */
  readonly cohortSize: number;
}

export interface RolloutStatus {
  readonly rolloutId: string;
  readonly state: RolloutState;
  readonly deviceClass: string;
  readonly targetVersion: string;
  readonly imageId: string;
  readonly caGeneration: number;
  readonly createdAt: number;
  readonly createdBy: string;
  /** The stage in force (the last one once completed). */
  readonly stage: {
    readonly index: number;
    readonly name: string;
    readonly startedAt: number;
    readonly endsAt: number;
    /** 0 once the duration is over (the stage may still wait for a clean window). */
    readonly remainingMs: number;
  };
  /** Each stage's own devices (those it adds to the cohort before it). */
  readonly stages: StageStatus[];
  /** The whole rollout: "on new version" beside "rolled back from new version". */
  readonly totals: JobCounts & {
    readonly onNewVersionPct: number;
    readonly rolledBackPct: number;
    /** Unsent jobs in opted-out stores. */
    readonly optedOut: number;
    /** Left out at creation: hardware the image does not list, or already newer. */
    readonly excluded: { readonly hardware: number; readonly newer: number };
  };
  readonly lastHealth: HealthEvaluation | null;
  readonly haltReason: string | null;
  readonly haltedHealth: HealthEvaluation | null;
  readonly optOuts: readonly RolloutOptOut[];
  readonly history: readonly RolloutAction[];
}

const COUNTED: Record<OtaJobState, keyof Omit<JobCounts, 'devices'>> = {
  pending: 'pending',
  'already-current': 'onNewVersion',
  sent: 'sent',
  'in-progress': 'sent',
  succeeded: 'onNewVersion',
  failed: 'failed',
  rejected: 'rejected',
  'rolled-back': 'rolledBack',
  'timed-out': 'timedOut',
};

function count(jobs: readonly RolloutJobRecord[]): JobCounts {
  const c = {
    devices: jobs.length,
    pending: 0,
    sent: 0,
    onNewVersion: 0,
    rolledBack: 0,
    failed: 0,
    rejected: 0,
    timedOut: 0,
  };
  for (const j of jobs) c[COUNTED[j.state]]++;
  return c;
}

/** What `rollout status` shows. Pure; O(n) in the rollout's jobs. */
export function rolloutStatus(
  rollout: RolloutRecord,
  jobs: readonly RolloutJobRecord[],
  now: number,
): RolloutStatus {
  const plan = cohortPlan(rollout, jobs);
  const stage = rollout.stages[rollout.stageIndex]!;
  const endsAt = rollout.stageStartedAt + stage.durationMs;
  const totals = count(jobs);
  const pct = (x: number) => (totals.devices === 0 ? 0 : (100 * x) / totals.devices);
  return {
    rolloutId: rollout.rolloutId,
    state: rollout.state,
    deviceClass: rollout.deviceClass,
    targetVersion: rollout.targetVersion,
    imageId: rollout.imageId,
    caGeneration: rollout.caGeneration,
    createdAt: rollout.createdAt,
    createdBy: rollout.createdBy,
    stage: {
      index: rollout.stageIndex,
      name: stage.name,
      startedAt: rollout.stageStartedAt,
      endsAt,
      remainingMs: rollout.state === 'running' ? Math.max(0, endsAt - now) : 0,
    },
    stages: rollout.stages.map((s, index) => {
      const start = index === 0 ? 0 : plan.sizes[index - 1]!;
      const end = plan.sizes[index]!;
      return {
        index,
        name: s.name,
        durationMs: s.durationMs,
        cohortSize: end,
        ...count(plan.active.slice(start, end)),
      };
    }),
    totals: {
      ...totals,
      onNewVersionPct: pct(totals.onNewVersion),
      rolledBackPct: pct(totals.rolledBack),
      optedOut: plan.optedOut,
      excluded: rollout.excluded,
    },
    lastHealth: rollout.lastHealth,
    haltReason: rollout.haltReason,
    haltedHealth: rollout.haltedHealth,
    optOuts: rollout.optOuts,
    history: rollout.history,
  };
}
