import type { KeyObject } from 'node:crypto';
import type { Boot, JobStatus, OtaJob } from '../../../contract/index.js';
import {
  BootSlots,
  memoryBootStore,
  type BootOutcome,
} from '../../../device/firmware/boot-slots.js';
import {
  FirmwareUpdater,
  type UpdaterPorts,
  type UpdateResetReason,
} from '../../../device/firmware/firmware-updater.js';

/** What a simulated cart's firmware talks to: the rollout engine's side, in the same process. */
export interface SimWorld {
  now(): number;
  readonly signingKey: KeyObject;
  download(url: string): Promise<Uint8Array>;
  jobStatus(deviceId: string, status: JobStatus): Promise<void>;
  booted(deviceId: string, boot: Boot): Promise<void>;
  /** Whether this boot of `version` crashes before the firmware can mark itself good. */
  crashes(deviceId: string, version: string): boolean;
}

/**
 * One simulated cart, reduced to what an update touches: the cart model's own bootloader
 * (BootSlots) and update logic (FirmwareUpdater), with memory for flash and the engine for a
 * network. Every reboot makes both anew, as a real boot rebuilds RAM.
 */
export class SimDevice {
  readonly #store = memoryBootStore();
  #counter = 0;
  #slots!: BootSlots;
  #updater!: FirmwareUpdater;
  #ports: UpdaterPorts;

  constructor(
    readonly deviceId: string,
    readonly storeId: string,
    readonly hardwareRev: string,
    private readonly factoryVersion: string,
    private readonly world: SimWorld,
  ) {
    this.#ports = {
      deviceId,
      deviceClass: 'cart',
      hardwareRev,
      signingKey: world.signingKey,
      trustedCaGenerations: () => [1],
      now: () => world.now(),
      // The challenge answers with the engine's clock: simulated time is server time here.
      serverTime: () => Promise.resolve(world.now()),
      download: (url) => world.download(url),
      report: (status, jobId, targetVersion, reason) =>
        world.jobStatus(deviceId, {
          ...this.#envelope('job-status'),
          type: 'job-status',
          job_id: jobId,
          target_version: targetVersion,
          status,
          ...(reason ? { reason } : {}),
        }),
      installAllowed: () => true,
      reboot: (reason) => this.powerOn(reason),
    };
  }

  get version(): string {
    return this.#slots.runningVersion;
  }

  onJob(job: OtaJob): Promise<unknown> {
    return this.#updater.onJob(job);
  }

  /** Boots, reports the boot, and lets a trial firmware mark itself good or crash. */
  async powerOn(reason: UpdateResetReason | 'power-on' = 'power-on'): Promise<void> {
    this.#slots = await BootSlots.open(this.#store, this.factoryVersion);
    const outcome = await this.#slots.boot();
    this.#updater = new FirmwareUpdater(this.#ports, this.#slots);
    await this.world.booted(this.deviceId, this.#boot(outcome, reason));
    const after = await this.#updater.afterBoot(outcome);
    if (after.kind === 'trial') {
      const crashes = this.world.crashes(this.deviceId, outcome.version);
      await this.#updater.settleTrial(() => Promise.resolve(!crashes));
    }
  }

  #boot(outcome: BootOutcome, reason: UpdateResetReason | 'power-on'): Boot {
    return {
      ...this.#envelope('boot'),
      type: 'boot',
      firmware_version: outcome.version,
      slot: outcome.slot,
      rolled_back: outcome.rolledBack,
      ...(outcome.previousVersion !== undefined
        ? { previous_version: outcome.previousVersion }
        : {}),
      reset_reason: reason,
      hardware_rev: this.hardwareRev,
      boot_count: outcome.bootCount,
      ca_generations: [1],
    };
  }

  #envelope(type: string) {
    return {
      schema_version: 1 as const,
      device_id: this.deviceId,
      type,
      counter: ++this.#counter,
      ts: new Date(this.world.now()).toISOString(),
    };
  }
}
