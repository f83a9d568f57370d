import type { StoreCalendar, StoreSchedule } from '../ports.js';

/** Stores' zones and windows in memory. A store is known once either was set. */
export class MemoryStoreCalendar implements StoreCalendar {
  readonly #stores = new Map<string, StoreSchedule>();

  /** What the store registry would say: the store's IANA zone. */
  setTimezone(storeId: string, timezone: string | null): void {
    const current = this.#stores.get(storeId);
    this.#stores.set(storeId, { storeId, timezone, windows: current?.windows ?? [] });
  }

  async schedules(storeIds: readonly string[]): Promise<StoreSchedule[]> {
    return [...new Set(storeIds)].sort().flatMap((id) => {
      const s = this.#stores.get(id);
      return s ? [s] : [];
    });
  }

  async setWindows(storeId: string, windows: readonly string[]): Promise<void> {
    const current = this.#stores.get(storeId);
    this.#stores.set(storeId, {
      storeId,
      timezone: current?.timezone ?? null,
      windows: [...windows],
    });
  }
}
