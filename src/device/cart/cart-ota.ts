import { randomBytes } from 'node:crypto';
import { validateDocument, type OtaJob } from '../../contract/index.js';
import type { SimClock } from '../clock/sim-clock.js';
import { BootSlots, type BootOutcome } from '../firmware/boot-slots.js';
import {
  FirmwareUpdater,
  type UpdateResetReason,
  type UpdaterPorts,
} from '../firmware/firmware-updater.js';
import type { DeviceCredentials } from '../link/device-link.js';
import { CaTrust } from '../trust/ca-trust.js';
import type { Executed } from './cart-commands.js';
import type { CartOptions, CartState } from './cart-types.js';
import type { Flash } from './flash.js';
import {
  bootMessage,
  FIRMWARE_VERSION,
  HARDWARE_REV,
  jobStatusMessage,
  type MessageBody,
  type ResetReason,
} from './messages.js';
import type { CartTiming } from './timing.js';
import type { Uplink } from './uplink.js';
import { withPlatformBackoff } from '../firmware/platform-backoff.js';

const OFF: readonly CartState[] = ['off', 'dead'];

/** What the cart's OTA and CA trust need from the cart, and nothing more. */
export interface OtaHost {
  readonly clock: SimClock;
  readonly timing: CartTiming;
  state(): CartState;
  sessionId(): string | undefined;
  emit(body: MessageBody): Promise<unknown>;
  uplink(): Pick<Uplink, 'flush'>;
  reboot(reason: ResetReason): Promise<void>;
  /** The fleet roots changed: the shadow says so. */
  reportShadow(): void;
}

type OtaOptions = Pick<
  CartOptions,
  | 'credentials'
  | 'firmwareVersion'
  | 'firmwareSigningKey'
  | 'crashBeforeMarkGood'
  | 'deviceApi'
  | 'log'
>;

/**
 * The cart's side of OTA and of a CA rotation: the bootloader (BootSlots over flash) at each
 * boot, the update logic (FirmwareUpdater, shared with the OTA simulator) over the device API
 * and job-status messages, and the fleet roots the cart trusts (CaTrust over flash).
 */
export class CartOta {
  #slots: BootSlots | undefined;
  #updater: FirmwareUpdater | undefined;
  #outcome: BootOutcome | undefined;

  /** `trust`: from openTrust, before the cart exists (it is read from flash). */
  constructor(
    private readonly host: OtaHost,
    private readonly options: OtaOptions,
    private readonly flash: Flash,
    private readonly trust: CaTrust,
  ) {
    this.#applyTrust();
  }

  /** The fleet roots flash holds; the provisioned root counts as generation 1. */
  static openTrust(flash: Flash, credentials: DeviceCredentials): Promise<CaTrust> {
    return CaTrust.open(
      { read: () => flash.readCaRoots(), write: (roots) => flash.writeCaRoots(roots) },
      { generation: 1, pem: credentials.trustPem },
    );
  }

  /** The firmware running now: the active slot's, or the trial's while it proves itself. */
  get version(): string {
    return this.#slots?.runningVersion ?? this.options.firmwareVersion ?? FIRMWARE_VERSION;
  }

  caGenerations(): readonly number[] {
    return this.trust.generations();
  }

  /** Every trusted fleet root: what TLS verifies the broker and the device API with. */
  trustPem(): string {
    return this.trust.trustPem();
  }

  /** The bootloader runs (RAM is new: so is the updater); answers the boot message. */
  async boot(resetReason: ResetReason): Promise<MessageBody> {
    const host = this.host;
    const factory = this.options.firmwareVersion ?? FIRMWARE_VERSION;
    const slots = await BootSlots.open(this.flash.bootStore(), factory);
    this.#slots = slots;
    this.#outcome = await slots.boot();
    this.#updater = new FirmwareUpdater(this.#ports(), slots, {
      markGoodWithinMs: host.timing.markGoodWithinMs,
    });
    const bootCount = await this.flash.countBoot();
    return bootMessage(this.#outcome, resetReason, bootCount, this.caGenerations());
  }

  /**
   * Once the cart is up: a rollback is reported, a trial runs its self-test and marks itself
   * good, or (the fault injection's crash) resets before it can.
   */
  async afterBoot(): Promise<void> {
    const updater = this.#updater;
    const outcome = this.#outcome;
    if (!updater || !outcome) return;
    try {
      const after = await updater.afterBoot(outcome);
      if (after.kind !== 'trial') return;
      const crash = this.options.crashBeforeMarkGood;
      await updater.settleTrial(() => Promise.resolve(!crash?.(outcome.version)));
    } catch (error) {
      this.#warn(error, 'after boot');
    }
  }

  /** An ota-job from jobs/<id>/notify. */
  async onJob(document: OtaJob): Promise<void> {
    const checked = validateDocument<OtaJob>('ota-job', document);
    if (!checked.ok) {
      this.options.log?.warn({ detail: checked.detail }, 'an ota-job that is not valid');
      return;
    }
    if (checked.value.device_id !== this.options.credentials.deviceId) return;
    if (!this.options.firmwareSigningKey) {
      this.options.log?.warn(
        { job_id: checked.value.job_id },
        'no firmware-signing key: the cart rejects every OTA job with reason signature',
      );
    }
    try {
      await this.#updater?.onJob(checked.value);
    } catch (error) {
      this.#warn(error, checked.value.job_id);
    }
  }

  /** The cart became free (a session ended): a job that waited installs now. */
  idle(): void {
    void this.#updater?.resume().catch((error: unknown) => this.#warn(error, 'resume'));
  }

  /** The trust-ca command. */
  async trustCa(generation: number, pem: string): Promise<Executed> {
    const outcome = await this.trust.add(generation, pem);
    if (!outcome.ok) return { status: 'rejected', code: outcome.code };
    if (outcome.added) {
      this.#applyTrust();
      this.host.reportShadow();
    }
    return { status: 'succeeded' };
  }

  #applyTrust(): void {
    const pem = this.trust.trustPem();
    if (pem) this.options.deviceApi?.trust?.(pem);
  }

  #ports(): UpdaterPorts {
    const host = this.host;
    const api = this.options.deviceApi;
    // The platform may be restarting or out of reach: ridden out, not a failed job.
    const reach = <T>(work: () => Promise<T>) =>
      withPlatformBackoff(
        (ms) => host.clock.sleep(ms),
        work,
        () => !OFF.includes(host.state()),
      );
    return {
      deviceId: this.options.credentials.deviceId,
      deviceClass: this.options.credentials.deviceClass,
      hardwareRev: HARDWARE_REV,
      signingKey: this.options.firmwareSigningKey,
      trustedCaGenerations: () => this.trust.generations(),
      now: () => host.clock.now(),
      serverTime: async () => {
        if (!api?.serverTime) throw new Error('no device API for the server-time challenge');
        const { nonce, answer } = await reach(async () => {
          const nonce = randomBytes(24).toString('base64url');
          return { nonce, answer: await api.serverTime!(nonce) };
        });
        // The echoed nonce makes the answer this challenge's, not a replayed earlier one.
        if (answer.nonce !== nonce) throw new Error('server time: the nonce does not match');
        return Date.parse(answer.server_time);
      },
      async download(url) {
        if (!api?.firmware) throw new Error('no device API to download firmware');
        return reach(() => api.firmware!(url));
      },
      report: async (status, jobId, target, reason) => {
        await host.emit(jobStatusMessage(jobId, target, status, reason));
      },
      // No customer on the cart (and the cart on): the reboot interrupts nobody.
      installAllowed: () => host.sessionId() === undefined && !OFF.includes(host.state()),
      reboot: (reason) => this.#reboot(reason),
    };
  }

  async #reboot(reason: UpdateResetReason): Promise<void> {
    // An update's statuses go out before the reset; a crash does not wait for anything.
    if (reason === 'ota') await this.host.uplink().flush(1000);
    await this.host.reboot(reason);
  }

  #warn(error: unknown, what: string): void {
    this.options.log?.warn(
      { what, error: error instanceof Error ? error.message : String(error) },
      'OTA failed',
    );
  }
}
