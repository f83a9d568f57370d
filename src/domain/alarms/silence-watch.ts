import type { DeviceClass } from '../../contract/ids.js';
import type { IngestedEvent } from '../../stores/entities/entity-store.js';
import type { Silence } from './rule-schema.js';

export const SILENT_RULE = 'silent';

interface Watched {
  storeId: string;
  deviceClass: DeviceClass;
  /** Arrival of its last message (ms): silence is judged on the platform's clock. */
  lastSeenAt: number;
  inSession: boolean;
  /** A silent alarm is open for it. */
  alarmed: boolean;
}

export interface Silent {
  readonly deviceId: string;
  readonly storeId: string;
  readonly lastSeenAt: number;
  readonly silentMs: number;
}

/**
 * Which devices went quiet for longer than their profile allows. What it knows comes from the
 * messages projection hands over; after a restart a device is watched again from its first
 * message, and alarms open before the restart are resolved by it (`alreadySilent`).
 */
export class SilenceWatch {
  readonly #devices = new Map<string, Watched>();
  readonly #silence = new Map<DeviceClass, Silence>();
  /** Open silent alarms of devices not heard from since the restart: their first message ends them. */
  readonly #pending = new Set<string>();

  set(profile: DeviceClass, silence: Silence | undefined): void {
    if (silence) this.#silence.set(profile, silence);
    else this.#silence.delete(profile);
  }

  /** The device spoke: true when that ends an open silent alarm. */
  observe(event: IngestedEvent): boolean {
    let device = this.#devices.get(event.deviceId);
    if (!device) {
      device = {
        storeId: event.storeId,
        deviceClass: event.deviceClass,
        lastSeenAt: event.receivedAt,
        inSession: false,
        alarmed: false,
      };
      this.#devices.set(event.deviceId, device);
    }
    device.lastSeenAt = Math.max(device.lastSeenAt, event.receivedAt);
    const body = event.message as { readonly session_id?: unknown };
    if (event.type === 'session-start') device.inSession = true;
    else if (event.type === 'session-end') device.inSession = false;
    else if (event.type === 'health') device.inSession = body.session_id !== undefined;
    const ended = device.alarmed;
    device.alarmed = false;
    return ended;
  }

  alreadySilent(deviceId: string): void {
    const device = this.#devices.get(deviceId);
    if (device) device.alarmed = true;
    else this.#pending.add(deviceId);
  }

  /** Whether a message from this device ends a silent alarm opened before the restart. */
  takePending(deviceId: string): boolean {
    return this.#pending.delete(deviceId);
  }

  /** Devices silent past their profile's limit and not yet alarmed (they are, from now on). */
  sweep(now: number): Silent[] {
    const silent: Silent[] = [];
    for (const [deviceId, device] of this.#devices) {
      if (device.alarmed) continue;
      const silence = this.#silence.get(device.deviceClass);
      if (!silence || (silence.whileInSession === true && !device.inSession)) continue;
      const silentMs = now - device.lastSeenAt;
      if (silentMs <= silence.minutes * 60_000) continue;
      device.alarmed = true;
      silent.push({ deviceId, storeId: device.storeId, lastSeenAt: device.lastSeenAt, silentMs });
    }
    return silent;
  }
}
