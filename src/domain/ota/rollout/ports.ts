import type { OtaJob } from '../../../contract/index.js';
import type {
  HealthQuery,
  OpeningHours,
  OtaTarget,
  RolloutJobRecord,
  RolloutRecord,
  RolloutState,
  StoreSchedule,
  TargetFilter,
  VersionHealthSample,
} from '../../../stores/entities/ota/ota-types.js';

export type {
  HealthEvaluation,
  HealthQuery,
  HaltEvidence,
  HealthSample,
  HealthVerdict,
  OpeningHours,
  OtaJobState,
  OtaTarget,
  RolloutAction,
  RolloutJobRecord,
  RolloutOptOut,
  RolloutRecord,
  RolloutState,
  SendIn,
  StageCohort,
  StageSpec,
  StoreSchedule,
  TargetFilter,
  VersionHealthSample,
  Weekday,
} from '../../../stores/entities/ota/ota-types.js';

/**
 * What the rollout engine needs from the world, and nothing else: it knows no database, no MQTT
 * and no wall clock. Each port has an in-memory adapter (tests, the OTA simulator) and one over
 * the entity store (the platform); ports.contract.ts is the suite both must pass.
 */

/** Rollouts and their per-device jobs. */
export interface RolloutRepository {
  /** A new rollout with its whole cohort order as jobs. */
  create(rollout: RolloutRecord, jobs: readonly RolloutJobRecord[]): Promise<void>;
  get(rolloutId: string): Promise<RolloutRecord | undefined>;
  /** Newest first; only the given states when asked. */
  list(filter?: { readonly states?: readonly RolloutState[] }): Promise<RolloutRecord[]>;
  update(rollout: RolloutRecord): Promise<void>;
  /** Writes jobs by job id. */
  upsertJobs(jobs: readonly RolloutJobRecord[]): Promise<void>;
  /** A rollout's jobs in cohort order (ordinal). */
  jobsOf(rolloutId: string): Promise<RolloutJobRecord[]>;
  job(jobId: string): Promise<RolloutJobRecord | undefined>;
  /** Every job a device has had, newest rollout first. */
  jobsOfDevice(deviceId: string): Promise<RolloutJobRecord[]>;
}

/** The devices a rollout may target. */
export interface FleetTargets {
  /** Devices of the filter's class, narrowed by its store, hardware and device lists. */
  list(filter: TargetFilter): Promise<OtaTarget[]>;
}

/** Stores' time zones and maintenance windows. */
export interface StoreCalendar {
  /** Schedules of those of the stores that are known; an unknown store has no window. */
  schedules(storeIds: readonly string[]): Promise<StoreSchedule[]>;
  /** Replaces a store's windows ('HH:MM-HH:MM' local; checked by parseWindows first). */
  setWindows(
    storeId: string,
    windows: readonly string[],
    change: { readonly by: string; readonly at: number },
  ): Promise<void>;
  /**
   * Replaces a store's opening hours (checked by parseOpeningHours first; null forgets them) and,
   * when given, its IANA time zone.
   */
  setOpeningHours(
    storeId: string,
    hours: OpeningHours | null,
    timezone: string | undefined,
    change: { readonly by: string; readonly at: number },
  ): Promise<void>;
}

/** Errors and exposure per firmware version, for the halt condition. */
export interface VersionHealth {
  measure(query: HealthQuery): Promise<VersionHealthSample>;
}

/** Delivers a job to a device (the platform: MQTT QoS 1 on topics.jobNotify). */
export interface JobSender {
  send(deviceId: string, job: OtaJob): Promise<void>;
}

/** A short-lived signed download URL for an image (sha256 hex id). */
export interface FirmwareUrls {
  mint(imageId: string, now: number): { readonly url: string; readonly expiresAt: number };
}

export interface RolloutPorts {
  readonly repository: RolloutRepository;
  readonly targets: FleetTargets;
  readonly calendar: StoreCalendar;
  readonly health: VersionHealth;
  readonly sender: JobSender;
  readonly urls: FirmwareUrls;
}
