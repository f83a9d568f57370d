import type { KeyObject } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import {
  encodeSigned,
  validateDocument,
  type CommandRequest,
  type DeviceMessage,
  type ErrorFeedback,
  type OtaJob,
  type SealKey,
  type ServerTime,
  type ShadowDesired,
  type ShadowState,
} from '../../contract/index.js';
import type { SimClock } from '../clock/sim-clock.js';
import { BootSlots, type BootOutcome } from '../firmware/boot-slots.js';
import { FirmwareUpdater } from '../firmware/firmware-updater.js';
import { withPlatformBackoff } from '../firmware/platform-backoff.js';
import type { DeviceCredentials } from '../link/device-link.js';
import type { LinkFactory } from '../link/link-factory.js';
import { CommandBook } from './command-book.js';
import { DeviceFlash } from './device-flash.js';
import {
  bootMessage,
  commandResponseMessage,
  jobStatusMessage,
  type MessageBody,
  type ResetReason,
} from './messages.js';
import { StoreAndForward } from './store-and-forward.js';

export type Executed = { status: 'succeeded' | 'failed' | 'rejected'; code?: string };

/** The device API routes a sensor or tool uses (the cart's httpsDeviceApi has all of them). */
export interface DeviceApiPort {
  sealKey?(): Promise<SealKey>;
  serverTime?(nonce: string): Promise<ServerTime>;
  firmware?(url: string): Promise<Uint8Array>;
}

/** What a simulation (or a test) hears from a device. */
export interface DeviceObserver {
  created?(message: DeviceMessage): void;
  delivered?(message: DeviceMessage, replayed: boolean): void;
  /** The store-and-forward queue was full and dropped this message (oldest first). */
  dropped?(message: DeviceMessage): void;
  rejected?(feedback: ErrorFeedback): void;
}

/** The class's firmware on top of the runtime: readings, its commands, its shadow fields. */
export interface DeviceApp {
  /** A command other than ping and reboot. */
  execute(request: CommandRequest): Promise<Executed>;
  /** The cloud's whole desired state (each document replaces the last). */
  applyDesired(desired: ShadowState): Promise<void>;
  /** The class's fields of the shadow report (the runtime adds firmware_version). */
  reported(): ShadowState;
  /** After each boot: timers start. */
  start(): void;
  /** Before a reset or power-off: timers stop, RAM goes. */
  stop(): void;
  /** False while an install would interrupt work (a tool in use). */
  installAllowed(): boolean;
}

export interface DeviceRuntimeOptions {
  readonly credentials: DeviceCredentials;
  readonly flashDir: string;
  readonly clock: SimClock;
  readonly link: LinkFactory;
  readonly factoryFirmware: string;
  readonly hardwareRev: string;
  /** Messages flash holds while the link is down (see StoreAndForward). */
  readonly queueCapacity: number;
  readonly observer?: DeviceObserver;
  readonly deviceApi?: DeviceApiPort;
  readonly firmwareSigningKey?: KeyObject;
  readonly flashSync?: boolean;
  readonly markGoodWithinMs?: number;
}

/**
 * What every battery device's firmware shares, as the cart has it: messages signed by the secure
 * element with a counter from flash and the device's own clock; store-and-forward over the MQTT
 * link; commands at most once per command_id across reboots (CommandBook), answered with a
 * command-response; the shadow applied and reported back; OTA through the A/B bootloader and
 * FirmwareUpdater with boot and job-status messages.
 */
export class DeviceRuntime {
  #app: DeviceApp | undefined;
  #uplink: StoreAndForward;
  #book: CommandBook | undefined;
  #updater: FirmwareUpdater | undefined;
  #slots: BootSlots | undefined;
  #chain: Promise<unknown> = Promise.resolve();
  #skewMs = 0;
  #on = false;
  #reachable = true;
  #desiredVersion = 0;
  droppedTotal = 0;

  private constructor(
    readonly options: DeviceRuntimeOptions,
    readonly flash: DeviceFlash,
  ) {
    this.#uplink = this.#newUplink();
  }

  static async create(options: DeviceRuntimeOptions): Promise<DeviceRuntime> {
    const flash = await DeviceFlash.open(options.flashDir, { sync: options.flashSync ?? true });
    return new DeviceRuntime(options, flash);
  }

  get deviceId(): string {
    return this.options.credentials.deviceId;
  }

  get on(): boolean {
    return this.#on;
  }

  get firmwareVersion(): string {
    return this.#slots?.runningVersion ?? this.options.factoryFirmware;
  }

  get uplink(): StoreAndForward {
    return this.#uplink;
  }

  attach(app: DeviceApp): void {
    this.#app = app;
  }

  /** The device's own clock, skew included: message timestamps and command expiry use it. */
  deviceNow(): number {
    return this.options.clock.now() + this.#skewMs;
  }

  setClockSkew(ms: number): void {
    this.#skewMs = ms;
  }

  /** Power on (or a reset): the bootloader, flash's queue, the boot message, the link. */
  async boot(resetReason: ResetReason = 'power-on'): Promise<void> {
    const o = this.options;
    this.#book = await CommandBook.open(this.flash);
    const slots = await BootSlots.open(this.flash.bootStore(), o.factoryFirmware);
    this.#slots = slots;
    const outcome = await slots.boot();
    this.#updater = new FirmwareUpdater(this.#updaterPorts(), slots, {
      ...(o.markGoodWithinMs !== undefined ? { markGoodWithinMs: o.markGoodWithinMs } : {}),
    });
    await this.#uplink.restore();
    this.#on = true;
    await this.emit(
      bootMessage(outcome, resetReason, await this.flash.countBoot(), [1], o.hardwareRev),
    );
    await this.#uplink.powerUp();
    this.#app?.start();
    void this.#afterBoot(outcome);
  }

  /** Power off: timers stop, the radio goes down; flash keeps the queue. */
  async powerOff(): Promise<void> {
    this.#app?.stop();
    this.#on = false;
    await this.#chain;
    await this.#uplink.powerDown();
    await this.flash.settled();
  }

  async reboot(reason: ResetReason): Promise<void> {
    await this.powerOff();
    // RAM is gone: the next boot finds only what flash held.
    this.#uplink = this.#newUplink();
    this.#desiredVersion = 0;
    await this.boot(reason);
  }

  /** The network is unreachable (a gateway outage) or back; readings queue in flash meanwhile. */
  async setReachable(reachable: boolean): Promise<void> {
    this.#reachable = reachable;
    await this.#uplink.setReachable(reachable);
  }

  /**
   * Signs the next message with the device's clock and counter and queues it in flash. `at`:
   * the simulated time it describes (a reading's RTC alarm), default now; the skew applies.
   */
  emit(body: MessageBody, at?: number): Promise<DeviceMessage | undefined> {
    const ts = new Date((at ?? this.options.clock.now()) + this.#skewMs).toISOString();
    const next = this.#chain.then(async () => {
      if (!this.#on) return undefined;
      const counter = await this.flash.counter.next();
      const { type, ...rest } = body;
      const message = {
        schema_version: 1,
        device_id: this.deviceId,
        type,
        counter,
        ts,
        ...rest,
      } as DeviceMessage;
      const payload = encodeSigned(message, (b) => this.options.credentials.secureElement.sign(b));
      this.options.observer?.created?.(message);
      await this.#uplink.add(message, payload);
      return message;
    });
    this.#chain = next.catch(() => undefined);
    return next;
  }

  /** Resolves once every message asked for so far is signed and queued. */
  async settled(): Promise<void> {
    await this.#chain;
  }

  /** Reports the shadow as it stands now. */
  reportShadow(): Promise<unknown> {
    const reported: ShadowState = {
      ...(this.#app?.reported() ?? {}),
      firmware_version: this.firmwareVersion,
    };
    return this.emit({
      type: 'shadow-report',
      desired_version: this.#desiredVersion,
      reported,
    });
  }

  async onCommand(request: CommandRequest): Promise<void> {
    const book = this.#book;
    if (!book || request.device_id !== this.deviceId || !this.#on) return;
    const answer = await book.handle(request, this.deviceNow(), (r) => this.#execute(r));
    await this.emit(commandResponseMessage(request.command_id, answer));
    if (request.name === 'reboot' && answer.status === 'succeeded' && !answer.duplicate) {
      await this.#uplink.flush(1000);
      await this.reboot('software');
    }
  }

  async onDesired(document: ShadowDesired): Promise<void> {
    if (document.device_id !== this.deviceId || !this.#on) return;
    // A document older than the one applied is a late redelivery: the newer one stands.
    if (document.version < this.#desiredVersion) return;
    this.#desiredVersion = document.version;
    await this.#app?.applyDesired(document.desired);
    await this.reportShadow();
  }

  async onJob(document: OtaJob): Promise<void> {
    const checked = validateDocument<OtaJob>('ota-job', document);
    if (!checked.ok || checked.value.device_id !== this.deviceId) return;
    await this.#updater?.onJob(checked.value).catch(() => undefined);
  }

  /** A job that waited for the device to be free installs now. */
  idle(): void {
    void this.#updater?.resume().catch(() => undefined);
  }

  async #execute(request: CommandRequest): Promise<Executed> {
    if (request.name === 'ping' || request.name === 'reboot') return { status: 'succeeded' };
    return this.#app ? this.#app.execute(request) : { status: 'rejected', code: 'unsupported' };
  }

  async #afterBoot(outcome: BootOutcome): Promise<void> {
    try {
      const after = await this.#updater!.afterBoot(outcome);
      // The self-test of a sensor: it booted, signed and queued its boot message.
      if (after.kind === 'trial') await this.#updater!.settleTrial(() => Promise.resolve(true));
    } catch {
      // A failed status report is retried by the next boot's afterBoot.
    }
  }

  #updaterPorts(): ConstructorParameters<typeof FirmwareUpdater>[0] {
    const o = this.options;
    const api = o.deviceApi;
    // The platform may be restarting or out of reach: ridden out, not a failed job.
    const reach = <T>(work: () => Promise<T>) =>
      withPlatformBackoff(
        (ms) => o.clock.sleep(ms),
        work,
        () => this.#on,
      );
    return {
      deviceId: this.deviceId,
      deviceClass: o.credentials.deviceClass,
      hardwareRev: o.hardwareRev,
      signingKey: o.firmwareSigningKey,
      trustedCaGenerations: () => [1],
      now: () => o.clock.now(),
      serverTime: async () => {
        if (!api?.serverTime) throw new Error('no device API for the server-time challenge');
        const { nonce, answer } = await reach(async () => {
          const nonce = randomBytes(24).toString('base64url');
          return { nonce, answer: await api.serverTime!(nonce) };
        });
        if (answer.nonce !== nonce) throw new Error('server time: the nonce does not match');
        return Date.parse(answer.server_time);
      },
      async download(url) {
        if (!api?.firmware) throw new Error('no device API to download firmware');
        return reach(() => api.firmware!(url));
      },
      report: async (status, jobId, target, reason) => {
        await this.emit(jobStatusMessage(jobId, target, status, reason));
      },
      installAllowed: () => this.#on && (this.#app?.installAllowed() ?? true),
      reboot: async (reason) => {
        if (reason === 'ota') await this.#uplink.flush(1000);
        await this.reboot(reason);
      },
    };
  }

  #newUplink(): StoreAndForward {
    const o = this.options;
    const uplink: StoreAndForward = new StoreAndForward(
      o.credentials.deviceClass,
      o.link,
      this.flash,
      o.clock,
      o.queueCapacity,
      {
        command: (r) => void this.onCommand(r),
        desired: (d) => void this.onDesired(d),
        job: (j) => void this.onJob(j),
        rejected: (f) => o.observer?.rejected?.(f),
        delivered: (m, replayed) => o.observer?.delivered?.(m, replayed),
        dropped: (m) => {
          this.droppedTotal++;
          o.observer?.dropped?.(m);
        },
        linkChanged: () => undefined,
      },
    );
    if (!this.#reachable) void uplink.setReachable(false);
    return uplink;
  }
}
