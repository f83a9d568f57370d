import { compareVersions, type DeviceClass, type OtaManifest } from '../../../contract/index.js';
import type { OtaTarget, SendIn, StageSpec } from './ports.js';
import { rolloutFailure } from './rollout-errors.js';
import { checkStages, defaultStages, HOUR_MS } from './stages.js';

/** What a person asks for when starting a rollout. */
export interface RolloutSpec {
  readonly targetVersion: string;
  readonly deviceClass: DeviceClass;
  /** The manifest exactly as signed (base64) and its r||s signature (base64), as OtaJob carries. */
  readonly manifest: { readonly signed: string; readonly signature: string };
  /** The same manifest parsed (the image tooling verified it); the engine reads it, never re-signs. */
  readonly parsedManifest: OtaManifest;
  /** SHA-256 of the image, hex (the manifest's sha256). */
  readonly imageId: string;
  readonly targets?: {
    readonly storeIds?: readonly string[];
    readonly hardwareRevs?: readonly string[];
    readonly deviceIds?: readonly string[];
  };
  /** Default: defaultStages(laterStageMs). */
  readonly stages?: readonly StageSpec[];
  /** Duration of the 10 %, 25 % and 100 % stages when `stages` is not given (default 24 h). */
  readonly laterStageMs?: number;
  /**
   * When jobs go out: in each store's maintenance windows (default), or while the store is closed
   * by its opening hours (stores without known hours: their windows).
   */
  readonly sendIn?: SendIn;
  /** Named canary devices (replace the first stage's count). */
  readonly canaryDeviceIds?: readonly string[];
  /** The error-rate ratio the sequential halt rule tests for (decision 037); default 1.5. */
  readonly haltThreshold?: number;
  /** Default 30 minutes. */
  readonly windowMs?: number;
  /** New-version errors needed in a window before it can halt; default 3. */
  readonly minEvents?: number;
  /** The most a clean rollout may halt over its whole life (the test's α); default 0.001. */
  readonly significance?: number;
  /** New-version device-hours before the rule may halt; default 100. */
  readonly minDeviceHours?: number;
  /** A job with no word from the device for this long is sent again; default 1 h. */
  readonly jobTimeoutMs?: number;
  /** Sends per job before it is timed-out; default 3. */
  readonly maxAttempts?: number;
  readonly createdBy?: string;
}

export const ROLLOUT_DEFAULTS = {
  haltThreshold: 1.5,
  windowMs: 30 * 60_000,
  minEvents: 3,
  significance: 0.001,
  minDeviceHours: 100,
  jobTimeoutMs: HOUR_MS,
  maxAttempts: 3,
} as const;

export type CheckedSpec = Required<
  Pick<
    RolloutSpec,
    | 'haltThreshold'
    | 'windowMs'
    | 'minEvents'
    | 'significance'
    | 'minDeviceHours'
    | 'jobTimeoutMs'
    | 'maxAttempts'
    | 'createdBy'
    | 'sendIn'
  >
> & { readonly stages: readonly StageSpec[] };

/** Checks a spec against itself and its manifest; fills the defaults. */
export function checkSpec(spec: RolloutSpec): CheckedSpec {
  const bad = (why: string) => rolloutFailure('invalid-rollout', why);
  const m = spec.parsedManifest;
  if (m.version !== spec.targetVersion) {
    throw bad(`the manifest is for ${m.version}, not ${spec.targetVersion}`);
  }
  if (m.device_class !== spec.deviceClass) {
    throw bad(`the manifest is for ${m.device_class} devices, not ${spec.deviceClass}`);
  }
  if (!/^[0-9a-f]{64}$/.test(spec.imageId) || spec.imageId !== m.sha256) {
    throw bad("the image id must be the manifest's SHA-256 (64 hex digits)");
  }
  const checked = {
    haltThreshold: spec.haltThreshold ?? ROLLOUT_DEFAULTS.haltThreshold,
    windowMs: spec.windowMs ?? ROLLOUT_DEFAULTS.windowMs,
    minEvents: spec.minEvents ?? ROLLOUT_DEFAULTS.minEvents,
    significance: spec.significance ?? ROLLOUT_DEFAULTS.significance,
    minDeviceHours: spec.minDeviceHours ?? ROLLOUT_DEFAULTS.minDeviceHours,
    jobTimeoutMs: spec.jobTimeoutMs ?? ROLLOUT_DEFAULTS.jobTimeoutMs,
    maxAttempts: spec.maxAttempts ?? ROLLOUT_DEFAULTS.maxAttempts,
    createdBy: spec.createdBy ?? 'unknown',
    sendIn: spec.sendIn ?? 'maintenance-windows',
    stages: spec.stages ?? defaultStages(spec.laterStageMs),
  };
  if (!(checked.haltThreshold > 1) || !Number.isFinite(checked.haltThreshold)) {
    throw bad('the halt threshold must be a ratio above 1');
  }
  if (!(checked.windowMs > 0)) throw bad('the health window must be positive');
  if (!Number.isInteger(checked.minEvents) || checked.minEvents < 1) {
    throw bad('min events must be a positive integer');
  }
  if (!(checked.significance > 0 && checked.significance < 1)) {
    throw bad('significance must be in (0, 1)');
  }
  if (!(checked.minDeviceHours >= 0) || !Number.isFinite(checked.minDeviceHours)) {
    throw bad('min device-hours must be a number of at least 0');
  }
  if (!(checked.jobTimeoutMs > 0)) throw bad('the job timeout must be positive');
  if (!Number.isInteger(checked.maxAttempts) || checked.maxAttempts < 1) {
    throw bad('max attempts must be a positive integer');
  }
  if (checked.sendIn !== 'maintenance-windows' && checked.sendIn !== 'store-closed-hours') {
    throw bad("send-in must be 'maintenance-windows' or 'store-closed-hours'");
  }
  checkStages(checked.stages);
  return checked;
}

export interface TargetSplit {
  /** To be sent the job. */
  readonly candidates: OtaTarget[];
  /** Already on the target version: updated, never sent. */
  readonly current: OtaTarget[];
  readonly excluded: { readonly hardware: number; readonly newer: number };
}

/**
 * Sorts the targets: a device whose hardware revision the image does not list (or that never
 * reported one) would refuse it, and a device on a newer version would refuse a downgrade, so
 * both are left out and counted; one already on the version needs nothing.
 */
export function splitTargets(targets: readonly OtaTarget[], manifest: OtaManifest): TargetSplit {
  const revs = new Set(manifest.hardware_revisions);
  const candidates: OtaTarget[] = [];
  const current: OtaTarget[] = [];
  let hardware = 0;
  let newer = 0;
  for (const t of targets) {
    if (t.hardwareRev === null || !revs.has(t.hardwareRev)) hardware++;
    else if (t.firmwareVersion === manifest.version) current.push(t);
    else if (t.firmwareVersion !== null && compareVersions(t.firmwareVersion, manifest.version) > 0)
      newer++;
    else candidates.push(t);
  }
  return { candidates, current, excluded: { hardware, newer } };
}

/** The certificate-rotation deadlock, refused before it starts. */
export function checkCaDependency(candidates: readonly OtaTarget[], caGeneration: number): void {
  const missing = candidates.filter((t) => !t.caGenerations.includes(caGeneration));
  if (missing.length === 0) return;
  const some = missing.slice(0, 5).map((t) => t.deviceId);
  throw rolloutFailure(
    'ca-dependency',
    `the image needs CA generation ${caGeneration}, which ${missing.length} of ` +
      `${candidates.length} targeted devices do not report trusting (e.g. ${some.join(', ')}); ` +
      'roll out that CA first (trust-ca) or narrow the targets',
  );
}
