import type {
  HealthQuery,
  OtaTarget,
  RolloutJobRecord,
  RolloutRecord,
  RolloutState,
  OpeningHours,
  StoreSchedule,
  TargetFilter,
  VersionHealthSample,
} from './ota-types.js';

/**
 * The OTA half of the entity store: rollouts, their per-device jobs, stores' maintenance windows,
 * and what the fleet's boots and faults say about each firmware version. The rollout engine's
 * SQL adapters (src/domain/ota/rollout/sql) are the only callers.
 */
export interface OtaRecords {
  /** A new rollout with its whole cohort order as pending (or already-current) jobs. */
  createRollout(rollout: RolloutRecord, jobs: readonly RolloutJobRecord[]): Promise<void>;
  getRollout(rolloutId: string): Promise<RolloutRecord | undefined>;
  /** Newest first. */
  listRollouts(filter: { readonly states?: readonly RolloutState[] }): Promise<RolloutRecord[]>;
  /** Replaces the rollout's record; unknown ids change nothing. */
  updateRollout(rollout: RolloutRecord): Promise<void>;
  /** Writes jobs by job id (a job's rollout, device and ordinal never change). */
  upsertOtaJobs(jobs: readonly RolloutJobRecord[]): Promise<void>;
  /** A rollout's jobs in cohort order. */
  listRolloutJobs(rolloutId: string): Promise<RolloutJobRecord[]>;
  getOtaJob(jobId: string): Promise<RolloutJobRecord | undefined>;
  /** Every job a device has had, newest rollout first. */
  listDeviceOtaJobs(deviceId: string): Promise<RolloutJobRecord[]>;
  /** Devices of the class matching the filter, ordered by id. */
  listOtaTargets(filter: TargetFilter): Promise<OtaTarget[]>;
  /** Schedules of the given stores that exist (time zone from the store registry). */
  getStoreSchedules(storeIds: readonly string[]): Promise<StoreSchedule[]>;
  /** Replaces a store's maintenance windows (the store row is made if missing); [] clears. */
  setMaintenanceWindows(
    storeId: string,
    windows: readonly string[],
    change: { readonly by: string; readonly at: number },
  ): Promise<void>;
  /** Replaces a store's opening hours (null forgets them) and, when given, its time zone. */
  setOpeningHours(
    storeId: string,
    hours: OpeningHours | null,
    timezone: string | undefined,
    change: { readonly by: string; readonly at: number },
  ): Promise<void>;
  /** Faults and failed boots, and device-hours, of a version against the rest of the targets. */
  measureVersionHealth(query: HealthQuery): Promise<VersionHealthSample>;
}
