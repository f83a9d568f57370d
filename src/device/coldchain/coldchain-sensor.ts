import type { CommandRequest, ColdchainTelemetry, ShadowState } from '../../contract/index.js';
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
import { normal, type Random } from '../random.js';
import {
  batteryPct,
  COLDCHAIN_POWER,
  estimatedLifeYears,
  sleepChargeMas,
  type PowerProfile,
} from './power-budget.js';
import type { Reefer } from './reefer.js';

export const COLDCHAIN_FIRMWARE = '1.3.0';
export const COLDCHAIN_HARDWARE_REV = 'cc-rev-b';
/** The class default: one reading every 5 minutes, what shippers of chilled goods ask for. */
export const DEFAULT_INTERVAL_S = 300;
/** A week of readings at the default interval fits the sensor's 2 MB flash (about 1 KB each). */
export const DEFAULT_QUEUE_CAPACITY = 2016;

export type ColdchainOptions = Omit<
  DeviceRuntimeOptions,
  'factoryFirmware' | 'hardwareRev' | 'queueCapacity'
> & {
  /** The container the sensor rides in. */
  readonly reefer: Reefer;
  /** The sensor's own noise (measurement, vibration). */
  readonly random: Random;
  readonly firmwareVersion?: string;
  readonly queueCapacity?: number;
  readonly defaultIntervalS?: number;
  readonly power?: PowerProfile;
};

/**
 * A cold-chain sensor: reads cargo temperature, humidity, shock, its battery and the door every
 * `report_interval_s` (the class default, the set-interval command, or the shadow), and sends
 * each reading stamped with the shipment it is bound to. The battery follows the power budget:
 * sleep between readings, a measurement and a report per reading, an attach per reconnect.
 */
export class ColdchainSensor implements DeviceApp {
  #settings: DeviceSettings = {};
  #timer: SimTimer | undefined;
  #usedMas = 0;
  #lastCharged: number;
  #silent = false;

  private constructor(
    readonly runtime: DeviceRuntime,
    private readonly options: ColdchainOptions,
  ) {
    this.#lastCharged = options.clock.now();
  }

  static async create(options: ColdchainOptions): Promise<ColdchainSensor> {
    const runtime = await DeviceRuntime.create({
      ...options,
      factoryFirmware: options.firmwareVersion ?? COLDCHAIN_FIRMWARE,
      hardwareRev: COLDCHAIN_HARDWARE_REV,
      queueCapacity: options.queueCapacity ?? DEFAULT_QUEUE_CAPACITY,
    });
    const sensor = new ColdchainSensor(runtime, options);
    sensor.#settings = await runtime.flash.readSettings();
    sensor.#usedMas = sensor.#settings.battery_used_mas ?? 0;
    runtime.attach(sensor);
    return sensor;
  }

  get deviceId(): string {
    return this.runtime.deviceId;
  }

  get power(): PowerProfile {
    return this.options.power ?? COLDCHAIN_POWER;
  }

  /** Seconds between readings now. */
  get intervalS(): number {
    return this.#settings.report_interval_s ?? this.options.defaultIntervalS ?? DEFAULT_INTERVAL_S;
  }

  get shipmentId(): string | undefined {
    return this.#settings.shipment_id;
  }

  /** What the battery would last at the current interval, from a fresh cell. */
  estimatedLifeYears(): number {
    return estimatedLifeYears(this.power, this.intervalS);
  }

  batteryPct(): number {
    return batteryPct(this.power, this.#usedMas);
  }

  powerOn(): Promise<void> {
    return this.runtime.boot('power-on');
  }

  powerOff(): Promise<void> {
    return this.runtime.powerOff();
  }

  /** The low-battery fault: the cell is this share used up. */
  drainTo(usedFraction: number): void {
    this.#usedMas = usedFraction * this.power.capacityMah * 3600 * this.power.usableFraction;
  }

  /** The silence fault: the sensor stops (a crushed sensor, a dead cell) without a word. */
  async silence(): Promise<void> {
    this.#silent = true;
    await this.runtime.powerOff();
  }

  get silent(): boolean {
    return this.#silent;
  }

  start(): void {
    this.#arm();
  }

  stop(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  installAllowed(): boolean {
    return true;
  }

  async execute(request: CommandRequest): Promise<Executed> {
    if (request.name !== 'set-interval') return { status: 'rejected', code: 'unsupported' };
    const interval = request.args?.interval_s;
    if (interval === undefined) return { status: 'rejected', code: 'missing-args' };
    await this.#save({ ...this.#settings, report_interval_s: interval });
    this.#arm();
    // The cloud's shadow learns the new interval from the report, not only from the response.
    void this.runtime.reportShadow();
    return { status: 'succeeded' };
  }

  async applyDesired(desired: ShadowState): Promise<void> {
    const next: { -readonly [K in keyof DeviceSettings]: DeviceSettings[K] } = {
      ...this.#settings,
    };
    if (desired.report_interval_s !== undefined) next.report_interval_s = desired.report_interval_s;
    if (desired.shipment_id !== undefined) next.shipment_id = desired.shipment_id;
    else delete next.shipment_id;
    const rearm = next.report_interval_s !== this.#settings.report_interval_s;
    await this.#save(next);
    if (rearm) this.#arm();
  }

  reported(): ShadowState {
    return {
      report_interval_s: this.intervalS,
      ...(this.shipmentId !== undefined ? { shipment_id: this.shipmentId } : {}),
    };
  }

  /** Takes one reading now and queues it; what the timer calls every interval. */
  async read(at?: number): Promise<ColdchainTelemetry | undefined> {
    const runtime = this.runtime;
    if (!runtime.on) return undefined;
    const now = at ?? this.options.clock.now();
    this.#charge(now, this.power.senseMas + this.power.reportMas);
    const air = this.options.reefer.airAt(now);
    const random = this.options.random;
    // SHT4x accuracy: ±0.2 °C, ±1.8 %RH (Sensirion data sheet), as one standard deviation.
    const body: MessageBody = {
      type: 'coldchain-telemetry',
      temperature_c: round(clamp(air.temperatureC + normal(random) * 0.2, -60, 90), 1),
      humidity_pct: round(clamp(air.humidityPct + normal(random) * 1.8, 0, 100), 1),
      shock_g: round(this.options.reefer.takeShockG(random), 2),
      battery_pct: this.batteryPct(),
      door_open: this.options.reefer.doorOpen,
      ...(this.shipmentId !== undefined ? { shipment_id: this.shipmentId } : {}),
    };
    const sent = await runtime.emit(body, now);
    // The coulomb count reaches flash with each reading: a reset does not refill the cell.
    await this.#save({ ...this.#settings, battery_used_mas: this.#usedMas });
    return sent as ColdchainTelemetry | undefined;
  }

  /**
   * The RTC alarm: readings at exact multiples of the interval from when it was set, each stamped
   * with its alarm time, however late the host's timer fires.
   */
  #arm(): void {
    this.#timer?.cancel();
    if (!this.runtime.on) return;
    this.#timer = rtcAlarm(this.options.clock, this.intervalS * 1000, (at) => void this.read(at));
  }

  #charge(now: number, activeMas: number): void {
    const p = this.power;
    const elapsed = Math.max(0, now - this.#lastCharged);
    const attaches = (p.attachesPerDay * p.attachMas * elapsed) / 86_400_000;
    this.#usedMas += sleepChargeMas(p, elapsed) + attaches + activeMas;
    this.#lastCharged = now;
  }

  async #save(settings: DeviceSettings): Promise<void> {
    this.#settings = settings;
    await this.runtime.flash.writeSettings(settings);
  }
}

function clamp(v: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, v));
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
