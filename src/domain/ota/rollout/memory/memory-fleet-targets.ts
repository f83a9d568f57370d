import type { FleetTargets, OtaTarget, TargetFilter } from '../ports.js';

/** Whether a device is one of a filter's targets. */
export function matchesTargets(t: OtaTarget, filter: TargetFilter): boolean {
  return (
    t.deviceClass === filter.deviceClass &&
    (filter.storeIds === undefined || filter.storeIds.includes(t.storeId)) &&
    (filter.hardwareRevs === undefined ||
      (t.hardwareRev !== null && filter.hardwareRevs.includes(t.hardwareRev))) &&
    (filter.deviceIds === undefined || filter.deviceIds.includes(t.deviceId))
  );
}

/** The fleet as the simulator (or a test) says it is. */
export class MemoryFleetTargets implements FleetTargets {
  readonly #devices = new Map<string, OtaTarget>();

  put(target: OtaTarget): void {
    this.#devices.set(target.deviceId, { ...target });
  }

  /** Changes what a known device reports (firmware after an update, CA generations…). */
  update(deviceId: string, change: Partial<Omit<OtaTarget, 'deviceId'>>): void {
    const current = this.#devices.get(deviceId);
    if (current) this.#devices.set(deviceId, { ...current, ...change });
  }

  /**
   * The device was heard from at `at` (a heartbeat): its last-seen time moves, in place, since a
   * simulator hears from 10,000 carts a tick (a copy each was most of its time).
   */
  heard(deviceId: string, at: number): void {
    const current = this.#devices.get(deviceId) as { lastSeenAt: number | null } | undefined;
    if (current && (current.lastSeenAt ?? -Infinity) < at) current.lastSeenAt = at;
  }

  get(deviceId: string): OtaTarget | undefined {
    return this.#devices.get(deviceId);
  }

  async list(filter: TargetFilter): Promise<OtaTarget[]> {
    const lists = [filter.storeIds, filter.hardwareRevs, filter.deviceIds];
    // Set lookups so a long explicit list stays linear.
    const [stores, revs, ids] = lists.map((l) => (l === undefined ? undefined : new Set(l)));
    return [...this.#devices.values()]
      .filter(
        (t) =>
          t.deviceClass === filter.deviceClass &&
          (stores === undefined || stores.has(t.storeId)) &&
          (revs === undefined || (t.hardwareRev !== null && revs.has(t.hardwareRev))) &&
          (ids === undefined || ids.has(t.deviceId)),
      )
      .sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
  }
}
