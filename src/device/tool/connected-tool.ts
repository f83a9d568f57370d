import {
  toolOperatorAad,
  type CommandRequest,
  type ShadowState,
  type ToolTelemetry,
} from '../../contract/index.js';
import type { SimTimer } from '../clock/sim-clock.js';
import type { DeviceSettings } from '../core/device-flash.js';
import {
  DeviceRuntime,
  type DeviceApp,
  type DeviceRuntimeOptions,
  type Executed,
} from '../core/device-runtime.js';
import type { MessageBody } from '../core/messages.js';
import { rtcAlarm } from '../core/rtc-alarm.js';
import { SealKeyCache } from '../core/seal-key-cache.js';
import type { Random } from '../random.js';
import { ToolUsage } from './usage-model.js';

export const TOOL_FIRMWARE = '3.0.2';
export const TOOL_HARDWARE_REV = 'dd18-r3';
/** A usage report every minute while the tool is awake. */
export const DEFAULT_TOOL_INTERVAL_S = 60;
/** A tool off the network for a shift still keeps a day of reports. */
export const TOOL_QUEUE_CAPACITY = 1440;

export type ToolOptions = Omit<
  DeviceRuntimeOptions,
  'factoryFirmware' | 'hardwareRev' | 'queueCapacity'
> & {
  readonly random: Random;
  readonly firmwareVersion?: string;
  readonly queueCapacity?: number;
  readonly defaultIntervalS?: number;
};

/**
 * A connected power tool: every interval it reports what its controller counted (trigger cycles,
 * motor minutes, peak torque, rpm, mode, motor temperature, pack, an over-temperature error), the
 * job site the shadow assigns it to and, once someone badged in, the operator, sealed to the
 * platform's seal key and bound to this tool. The operator id lives in RAM only: not in flash,
 * not on the wire in the clear, and gone at the next reset.
 */
export class ConnectedTool implements DeviceApp {
  #settings: DeviceSettings = {};
  #timer: SimTimer | undefined;
  #operator: string | undefined;
  #sealKeys!: SealKeyCache;
  readonly usage: ToolUsage;

  private constructor(
    readonly runtime: DeviceRuntime,
    private readonly options: ToolOptions,
  ) {
    this.usage = new ToolUsage(options.clock.now(), options.random);
  }

  static async create(options: ToolOptions): Promise<ConnectedTool> {
    const runtime = await DeviceRuntime.create({
      ...options,
      factoryFirmware: options.firmwareVersion ?? TOOL_FIRMWARE,
      hardwareRev: TOOL_HARDWARE_REV,
      queueCapacity: options.queueCapacity ?? TOOL_QUEUE_CAPACITY,
    });
    const tool = new ConnectedTool(runtime, options);
    tool.#settings = await runtime.flash.readSettings();
    tool.#sealKeys = await SealKeyCache.open(runtime.flash, options.deviceApi);
    runtime.attach(tool);
    return tool;
  }

  get deviceId(): string {
    return this.runtime.deviceId;
  }

  get intervalS(): number {
    return (
      this.#settings.report_interval_s ?? this.options.defaultIntervalS ?? DEFAULT_TOOL_INTERVAL_S
    );
  }

  get jobSiteId(): string | undefined {
    return this.#settings.job_site_id;
  }

  get hasSealKey(): boolean {
    return this.#sealKeys.current !== undefined;
  }

  async powerOn(): Promise<void> {
    await this.runtime.boot('power-on');
    await this.#sealKeys.sync();
  }

  powerOff(): Promise<void> {
    return this.runtime.powerOff();
  }

  /** A badge tap at the tool's reader: who holds it now, in RAM until the next tap or reset. */
  async tapBadge(operatorId: string): Promise<void> {
    this.#operator = operatorId;
    // A tool that has no key yet tries once more now: without one the operator is not sent.
    if (!this.hasSealKey) await this.#sealKeys.sync();
  }

  start(): void {
    this.#arm();
  }

  stop(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    // RAM goes with power: who held the tool is forgotten.
    this.#operator = undefined;
  }

  installAllowed(): boolean {
    return !this.usage.working;
  }

  async execute(request: CommandRequest): Promise<Executed> {
    if (request.name !== 'set-interval') return { status: 'rejected', code: 'unsupported' };
    const interval = request.args?.interval_s;
    if (interval === undefined) return { status: 'rejected', code: 'missing-args' };
    await this.#save({ ...this.#settings, report_interval_s: interval });
    this.#arm();
    void this.runtime.reportShadow();
    return { status: 'succeeded' };
  }

  async applyDesired(desired: ShadowState): Promise<void> {
    const { job_site_id: site, report_interval_s: interval } = desired;
    const { job_site_id: _site, ...rest } = this.#settings;
    void _site;
    const next: DeviceSettings = {
      ...rest,
      ...(site !== undefined ? { job_site_id: site } : {}),
      ...(interval !== undefined ? { report_interval_s: interval } : {}),
    };
    const rearm = next.report_interval_s !== this.#settings.report_interval_s;
    await this.#save(next);
    if (rearm) this.#arm();
  }

  reported(): ShadowState {
    return {
      report_interval_s: this.intervalS,
      ...(this.jobSiteId !== undefined ? { job_site_id: this.jobSiteId } : {}),
    };
  }

  /** One usage report for the period up to `at` (default now). */
  async report(at?: number): Promise<ToolTelemetry | undefined> {
    if (!this.runtime.on) return undefined;
    const now = at ?? this.options.clock.now();
    const u = this.usage.advance(now);
    const operator =
      this.#operator === undefined
        ? undefined
        : this.#sealKeys.seal(this.#operator, toolOperatorAad(this.deviceId));
    const body: MessageBody = {
      type: 'tool-telemetry',
      mode: u.mode,
      torque_nm: u.torqueNm,
      rpm: u.rpm,
      usage_minutes: u.usageMinutes,
      battery_pct: u.batteryPct,
      motor_temp_c: u.motorTempC,
      cycles: u.cycles,
      ...(u.errorCode ? { error_code: u.errorCode } : {}),
      ...(operator ? { operator } : {}),
      ...(this.jobSiteId !== undefined ? { job_site_id: this.jobSiteId } : {}),
    };
    const sent = await this.runtime.emit(body, now);
    // A tool that was busy lets a waiting update install once it is put down.
    if (!this.usage.working) this.runtime.idle();
    return sent as ToolTelemetry | undefined;
  }

  #arm(): void {
    this.#timer?.cancel();
    if (!this.runtime.on) return;
    this.#timer = rtcAlarm(this.options.clock, this.intervalS * 1000, (at) => void this.report(at));
  }

  async #save(settings: DeviceSettings): Promise<void> {
    this.#settings = settings;
    await this.runtime.flash.writeSettings(settings);
  }
}
