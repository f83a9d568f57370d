// What a device was told was acknowledged, set against what the platform's telemetry store holds:
// the counts every scenario of this folder reports (acknowledged, stored, lost, duplicated).
import type { TelemetryStore } from '../../../src/stores/telemetry/telemetry-store.js';

/** (device, counter): the identity of a device message (the telemetry store's own key). */
export type MessageKey = `${string}#${number}`;

export function messageKey(deviceId: string, counter: number): MessageKey {
  return `${deviceId}#${counter}`;
}

export interface StoredTally {
  /** How many times each (device, counter) appears in the store. */
  readonly copies: ReadonlyMap<MessageKey, number>;
  /** Per device, its counters in storage order (sequence number). */
  readonly byDevice: ReadonlyMap<string, readonly number[]>;
}

/** Reads the whole change feed: every event the platform stored, in storage order. */
export async function readStored(telemetry: TelemetryStore): Promise<StoredTally> {
  const copies = new Map<MessageKey, number>();
  const byDevice = new Map<string, number[]>();
  let after = 0;
  for (;;) {
    const page = await telemetry.eventsAfter(after, 1000);
    if (page.length === 0) break;
    for (const event of page) {
      const key = messageKey(event.deviceId, event.counter);
      copies.set(key, (copies.get(key) ?? 0) + 1);
      let counters = byDevice.get(event.deviceId);
      if (!counters) byDevice.set(event.deviceId, (counters = []));
      counters.push(event.counter);
      after = event.seq;
    }
  }
  return { copies, byDevice };
}

export interface DeliveryCounts {
  readonly acknowledged: number;
  readonly stored: number;
  readonly lost: number;
  readonly duplicated: number;
  /** A few lost keys, for the report's detail. */
  readonly lostSample: readonly MessageKey[];
}

/** Acknowledged keys against the store: lost are acknowledged and absent, duplicated extra copies. */
export function compare(
  acknowledged: ReadonlySet<MessageKey>,
  stored: StoredTally,
): DeliveryCounts {
  let found = 0;
  const lostKeys: MessageKey[] = [];
  for (const key of acknowledged) {
    if (stored.copies.has(key)) found++;
    else lostKeys.push(key);
  }
  let duplicated = 0;
  for (const n of stored.copies.values()) duplicated += n - 1;
  return {
    acknowledged: acknowledged.size,
    stored: found,
    lost: lostKeys.length,
    duplicated,
    lostSample: lostKeys.slice(0, 5),
  };
}
