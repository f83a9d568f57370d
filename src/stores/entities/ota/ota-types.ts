import type { DeviceClass } from '../../../contract/index.js';

/**
 * The records of OTA rollouts as the entity store keeps them (issue 8). The rollout engine
 * (src/domain/ota/rollout) owns what they mean; the store only keeps them. Times are ms since epoch.
 */

export const ROLLOUT_STATES = ['running', 'halted', 'aborted', 'completed'] as const;
export type RolloutState = (typeof ROLLOUT_STATES)[number];

/** How many devices a stage covers, cumulatively: a fixed count (the canary) or a share. */
export type StageCohort = { readonly devices: number } | { readonly percent: number };

export interface StageSpec {
  readonly name: string;
  readonly cohort: StageCohort;
  readonly durationMs: number;
}

/** Which devices of a device class a rollout may target; every given list narrows it. */
export interface TargetFilter {
  readonly deviceClass: DeviceClass;
  readonly storeIds?: readonly string[];
  readonly hardwareRevs?: readonly string[];
  readonly deviceIds?: readonly string[];
}

/** A device a rollout may target, as the fleet last reported it. */
export interface OtaTarget {
  readonly deviceId: string;
  readonly storeId: string;
  readonly deviceClass: DeviceClass;
  /** From the last boot message; null until the device booted since the platform knew it. */
  readonly hardwareRev: string | null;
  readonly firmwareVersion: string | null;
  /** Fleet CA generations the device reported trusting (boot, shadow report); [] if unknown. */
  readonly caGenerations: readonly number[];
  readonly lastSeenAt: number | null;
}

/** Errors (faults and failed boots) and exposure of one side of a comparison. */
export interface HealthSample {
  readonly events: number;
  readonly deviceHours: number;
}

/** One version against every other version of the class in the rollout's targets. */
export interface VersionHealthSample {
  readonly target: HealthSample;
  readonly others: HealthSample;
}

export interface HealthQuery {
  readonly targets: TargetFilter;
  readonly version: string;
  /** The window [from, to), ms since epoch. */
  readonly from: number;
  readonly to: number;
}

export type HealthVerdict = 'ok' | 'regression' | 'insufficient-data';

/** One evaluation of the halt condition, kept on the rollout and shown in its status. */
export interface HealthEvaluation {
  readonly at: number;
  readonly from: number;
  readonly to: number;
  readonly target: HealthSample & { readonly rate: number | null };
  readonly others: HealthSample & { readonly rate: number | null };
  /** The old versions' rate compared against: this window's, or the rollout's running one. */
  readonly baselineRate: number | null;
  readonly threshold: number;
  readonly minEvents: number;
  readonly significance: number;
  readonly verdict: HealthVerdict;
  /** The sequential test's running log-likelihood ratio and the boundary that halts (decision 037). */
  readonly logLikelihoodRatio?: number;
  readonly haltBoundary?: number;
  /** Devices that took the job and then went silent, counted as errors of the new version. */
  readonly silentDevices?: number;
  readonly minDeviceHours?: number;
}

/**
 * What the sequential halt rule has seen since `since` (creation or the last release): errors and
 * device-hours per side, summed over the ticks' non-overlapping increments up to `judgedTo`.
 */
export interface HaltEvidence {
  readonly since: number;
  readonly judgedTo: number;
  readonly target: HealthSample;
  readonly others: HealthSample;
  readonly logLikelihoodRatio: number;
  /** Devices counted once as failures for going silent after taking the job. */
  readonly silentDeviceIds: readonly string[];
}

export interface RolloutAction {
  readonly action: 'create' | 'advance' | 'halt' | 'release' | 'abort' | 'complete' | 'opt-out';
  readonly at: number;
  /** Who did it; 'engine' for what the engine decided by itself. */
  readonly by: string;
  readonly stageIndex: number;
  readonly detail?: string;
}

export interface RolloutOptOut {
  readonly storeId: string;
  readonly at: number;
  readonly by: string;
}

export interface RolloutRecord {
  readonly rolloutId: string;
  readonly deviceClass: DeviceClass;
  readonly targetVersion: string;
  /** SHA-256 of the image, hex: the blob the firmware URL points at. */
  readonly imageId: string;
  /** The manifest exactly as signed (base64) and its r||s signature (base64), as OtaJob carries. */
  readonly manifest: { readonly signed: string; readonly signature: string };
  readonly caGeneration: number;
  readonly targets: TargetFilter;
  readonly stages: readonly StageSpec[];
  /** The canary stage's devices when named explicitly (they lead the cohort order); else []. */
  readonly canaryDeviceIds: readonly string[];
  readonly haltThreshold: number;
  readonly windowMs: number;
  readonly minEvents: number;
  /** A regression must also be this unlikely as noise (Poisson tail at the old rate). */
  readonly significance: number;
  /** Absent on rollouts made before decision 037: maintenance-windows. */
  readonly sendIn?: SendIn;
  /** New-version device-hours before a halt; absent on rollouts made before decision 037. */
  readonly minDeviceHours?: number;
  readonly jobTimeoutMs: number;
  readonly maxAttempts: number;
  /** Devices left out at creation: hardware the image does not list, or already newer. */
  readonly excluded: { readonly hardware: number; readonly newer: number };
  readonly state: RolloutState;
  readonly stageIndex: number;
  readonly stageStartedAt: number;
  /** Health data before this is not judged again (creation, then each release). */
  readonly healthFrom: number;
  /**
   * The old versions' errors and device-hours summed over every evaluated window (overlapping
   * windows weigh alike), for windows with no old version left to compare against.
   */
  readonly baseline: HealthSample;
  /** The sequential halt rule's evidence; absent until the first tick. */
  readonly evidence?: HaltEvidence;
  /**
   * When the host clock last stepped (on the clock after it), if it has since the rollout began:
   * a job's or device's time from before it counts from it (decision 050).
   */
  readonly clockSteppedAt?: number;
  readonly lastHealth: HealthEvaluation | null;
  readonly haltReason: string | null;
  readonly haltedHealth: HealthEvaluation | null;
  readonly optOuts: readonly RolloutOptOut[];
  readonly history: readonly RolloutAction[];
  readonly createdAt: number;
  readonly createdBy: string;
  readonly updatedAt: number;
}

export const OTA_JOB_STATES = [
  'pending',
  'already-current',
  'sent',
  'in-progress',
  'succeeded',
  'failed',
  'rejected',
  'rolled-back',
  'timed-out',
] as const;
/**
 * A device's part in a rollout. pending: not sent yet; already-current: was on the target version
 * when the rollout was made (counts as updated, never sent); sent / in-progress: waiting on the
 * device; the rest are terminal (a succeeded job may still become rolled-back: the device reports
 * success before the bootloader has the last word).
 */
export type OtaJobState = (typeof OTA_JOB_STATES)[number];

export interface RolloutJobRecord {
  readonly jobId: string;
  readonly rolloutId: string;
  readonly deviceId: string;
  readonly storeId: string;
  /** Position in the rollout's cohort order: stage k covers a prefix of this order. */
  readonly ordinal: number;
  readonly state: OtaJobState;
  /** The device's last progress step (received, downloading…) or its reject/fail reason. */
  readonly detail: string | null;
  readonly attempts: number;
  readonly firstSentAt: number | null;
  readonly lastSentAt: number | null;
  /** Last thing the device said about the job. */
  readonly lastStatusAt: number | null;
  readonly finishedAt: number | null;
}

/** A store's maintenance windows ('02:00-05:00', local time) and the zone they are read in. */
export interface StoreSchedule {
  readonly storeId: string;
  /** IANA zone from the store registry; null means UTC. */
  readonly timezone: string | null;
  /** Empty: jobs may be sent at any time. */
  readonly windows: readonly string[];
  /** When the store is open, per local weekday; null or absent: not known. */
  readonly openingHours?: OpeningHours | null;
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/**
 * A store's opening hours: per local weekday, 'HH:MM-HH:MM' periods (an end before the start runs
 * past midnight); an empty list is a day the store stays closed.
 */
export type OpeningHours = { readonly [day in Weekday]: readonly string[] };

/** When a rollout sends jobs: in each store's maintenance windows, or while it is closed. */
export type SendIn = 'maintenance-windows' | 'store-closed-hours';
