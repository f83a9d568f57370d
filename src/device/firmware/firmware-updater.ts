import type { KeyObject } from 'node:crypto';
import {
  SEMVER_PATTERN,
  checkImage,
  checkManifest,
  type DeviceClass,
  type JobStatus,
  type OtaJob,
  type OtaManifest,
} from '../../contract/index.js';
import type { BootOutcome, BootSlots } from './boot-slots.js';

/** Why a device resets itself during an update; the boot message carries it. */
export type UpdateResetReason = 'ota' | 'panic' | 'watchdog';

/**
 * Everything the update logic needs from the device: the cart implements these over MQTT and
 * the device API, the OTA simulator in memory. No timers and no I/O of its own, so ten thousand
 * updaters can run in simulated time in one process.
 */
export interface UpdaterPorts {
  readonly deviceId: string;
  readonly deviceClass: DeviceClass;
  readonly hardwareRev: string;
  /** The firmware-signing public key the device carries; without one every image is refused. */
  readonly signingKey: KeyObject | undefined;
  trustedCaGenerations(): readonly number[];
  /** Simulated ms now, for the mark-good deadline only (never for the manifest's validity). */
  now(): number;
  /** The server-time challenge, in ms; throws when it cannot be had. */
  serverTime(): Promise<number>;
  /** The image behind the job's signed URL; throws on failure. */
  download(url: string): Promise<Uint8Array>;
  /** One job-status message (jobs/<id>/status). */
  report(
    status: JobStatus['status'],
    jobId: string,
    targetVersion: string,
    reason?: string,
  ): Promise<void>;
  /** False while a customer shops: the update waits and `resume()` installs it later. */
  installAllowed(): boolean;
  /** Resets the device; the bootloader runs next (the host calls `afterBoot` again). */
  reboot(reason: UpdateResetReason): Promise<void>;
}

/** Where `onJob` left a job. */
export type JobResult =
  | { readonly status: 'duplicate' }
  | { readonly status: 'rejected' | 'failed'; readonly reason: string }
  /** Verified, waiting for the device to be idle: call `resume()`. */
  | { readonly status: 'waiting' }
  /** Staged and the device reset into it. */
  | { readonly status: 'rebooted' };

/** What a boot means for the update under way. */
export type AfterBoot =
  | { readonly kind: 'normal' }
  /** The trial failed; its job was reported failed with reason `rolled-back`. */
  | { readonly kind: 'rolled-back'; readonly jobId: string; readonly version: string }
  /** Running a new image: `settleTrial` (or `markGood`) before `deadline` (simulated ms). */
  | { readonly kind: 'trial'; readonly jobId: string; readonly deadline: number };

export interface UpdaterOptions {
  /** How long a new image has to mark itself good, simulated ms (default 10 minutes). */
  readonly markGoodWithinMs?: number;
}

export const DEFAULT_MARK_GOOD_WITHIN_MS = 10 * 60_000;

interface Waiting {
  readonly job: OtaJob;
  readonly manifest: OtaManifest;
}

/**
 * The device's side of an OTA job: received → server-time challenge → manifest check →
 * download → image check → (wait for idle) → stage in the inactive slot → reboot → the new
 * image marks itself good within the deadline, or the bootloader rolls back. Each job id runs
 * once: ids that ended are kept in the bootloader's state, the one running or waiting in RAM.
 * One object per boot, like the RAM it models.
 */
export class FirmwareUpdater {
  readonly #ports: UpdaterPorts;
  readonly #slots: BootSlots;
  readonly #markGoodWithinMs: number;
  #running: string | undefined;
  #waiting: Waiting | undefined;
  #deadline: number | undefined;

  constructor(ports: UpdaterPorts, slots: BootSlots, options: UpdaterOptions = {}) {
    this.#ports = ports;
    this.#slots = slots;
    this.#markGoodWithinMs = options.markGoodWithinMs ?? DEFAULT_MARK_GOOD_WITHIN_MS;
  }

  /** A verified job waits for the device to be idle. */
  get waiting(): boolean {
    return this.#waiting !== undefined;
  }

  /** While a trial runs: the simulated time by which it must be marked good. */
  markGoodDeadline(): number | undefined {
    return this.#deadline;
  }

  async onJob(job: OtaJob): Promise<JobResult> {
    const id = job.job_id;
    const slots = this.#slots;
    // Checked and claimed with no await in between: a redelivery while it runs sees it.
    if (
      this.#running === id ||
      this.#waiting?.job.job_id === id ||
      slots.trial?.jobId === id ||
      slots.isFinished(id)
    ) {
      return { status: 'duplicate' };
    }
    // One job at a time; the cloud's rollout sends a device one job at once anyway.
    const busy = this.#running !== undefined || this.#waiting !== undefined || slots.inTrial;
    if (!busy) this.#running = id;
    try {
      const target = targetVersion(job);
      await this.#ports.report('received', id, target);
      if (busy) return await this.#end(id, target, 'failed', 'busy');
      return await this.#run(job, target);
    } finally {
      if (this.#running === id) this.#running = undefined;
    }
  }

  /** Installs a job that waited for the device to be idle, if it now is. */
  async resume(): Promise<JobResult | undefined> {
    const waiting = this.#waiting;
    if (!waiting || !this.#ports.installAllowed()) return undefined;
    this.#waiting = undefined;
    this.#running = waiting.job.job_id;
    try {
      return await this.#install(waiting);
    } finally {
      this.#running = undefined;
    }
  }

  /**
   * What the bootloader's outcome means: a rollback reports the trial's job failed; a trial boot
   * starts the mark-good deadline.
   */
  async afterBoot(outcome: BootOutcome): Promise<AfterBoot> {
    const jobId = outcome.jobId;
    if (outcome.rolledBack && jobId !== undefined) {
      const version = outcome.previousVersion ?? outcome.version;
      await this.#end(jobId, version, 'failed', 'rolled-back');
      return { kind: 'rolled-back', jobId, version };
    }
    if (outcome.trial && jobId !== undefined) {
      this.#deadline = this.#ports.now() + this.#markGoodWithinMs;
      return { kind: 'trial', jobId, deadline: this.#deadline };
    }
    return { kind: 'normal' };
  }

  /**
   * The new image checks itself: passing in time commits it and reports the job succeeded;
   * failing (the fault injection's crash) or passing too late resets the device before
   * mark-good, so the bootloader rolls back at the next boot.
   */
  async settleTrial(selfTest: () => Promise<boolean>): Promise<'good' | 'crashed'> {
    if (!this.#slots.inTrial) return 'good';
    const passed = await selfTest();
    const deadline = this.#deadline ?? Number.POSITIVE_INFINITY;
    if (passed && this.#ports.now() <= deadline && (await this.markGood())) return 'good';
    await this.#ports.reboot(passed ? 'watchdog' : 'panic');
    return 'crashed';
  }

  /** Commits the running trial and reports its job succeeded; false outside a trial. */
  async markGood(): Promise<boolean> {
    const trial = this.#slots.trial;
    if (!trial || !(await this.#slots.markGood())) return false;
    this.#deadline = undefined;
    await this.#slots.finish(trial.jobId);
    await this.#ports.report('succeeded', trial.jobId, trial.version);
    return true;
  }

  async #run(job: OtaJob, target: string): Promise<JobResult> {
    const ports = this.#ports;
    const id = job.job_id;
    let serverNow: number;
    try {
      serverNow = await ports.serverTime();
    } catch {
      return this.#end(id, target, 'failed', 'server-time');
    }
    const signingKey = ports.signingKey;
    if (!signingKey) return this.#end(id, target, 'rejected', 'signature');
    const slots = this.#slots;
    const verdict = checkManifest(
      Buffer.from(job.manifest.signed, 'base64'),
      Buffer.from(job.manifest.signature, 'base64'),
      {
        signingKey,
        serverNow,
        installedVersion: slots.runningVersion,
        ...(slots.floor !== undefined ? { antiRollbackFloor: slots.floor } : {}),
        deviceClass: ports.deviceClass,
        hardwareRev: ports.hardwareRev,
        trustedCaGenerations: ports.trustedCaGenerations(),
      },
    );
    if (!verdict.ok) return this.#end(id, target, 'rejected', verdict.reason);
    const manifest = verdict.manifest;
    await ports.report('downloading', id, manifest.version);
    let image: Uint8Array;
    try {
      image = await ports.download(job.url);
    } catch {
      return this.#end(id, manifest.version, 'failed', 'download');
    }
    await ports.report('verifying', id, manifest.version);
    const checked = checkImage(manifest, image);
    if (!checked.ok) return this.#end(id, manifest.version, 'rejected', checked.reason);
    const verified: Waiting = { job, manifest };
    if (!ports.installAllowed()) {
      this.#waiting = verified;
      return { status: 'waiting' };
    }
    return this.#install(verified);
  }

  async #install({ job, manifest }: Waiting): Promise<JobResult> {
    const ports = this.#ports;
    await ports.report('installing', job.job_id, manifest.version);
    await this.#slots.stage(manifest, job.job_id);
    await ports.report('rebooting', job.job_id, manifest.version);
    await ports.reboot('ota');
    return { status: 'rebooted' };
  }

  /** The job ended without installing: remembered first, so a redelivery cannot run it. */
  async #end(
    jobId: string,
    target: string,
    status: 'failed' | 'rejected',
    reason: string,
  ): Promise<JobResult> {
    await this.#slots.finish(jobId);
    await this.#ports.report(status, jobId, target, reason);
    return { status, reason };
  }
}

/**
 * The version a job's status messages name. Before the signature is checked it is only a claim
 * read from the manifest bytes; a manifest too broken to name one reports 0.0.0.
 */
function targetVersion(job: OtaJob): string {
  try {
    const claimed = (
      JSON.parse(Buffer.from(job.manifest.signed, 'base64').toString('utf8')) as {
        version?: unknown;
      }
    ).version;
    if (typeof claimed === 'string' && new RegExp(SEMVER_PATTERN).test(claimed)) return claimed;
  } catch {
    // Falls through: a malformed manifest is refused by checkManifest with its own reason.
  }
  return '0.0.0';
}
