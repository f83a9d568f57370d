import type { OpeningHours, StoreCalendar, StoreSchedule } from '../ports.js';

/** Stores' zones, windows and opening hours in memory. A store is known once any was set. */
export class MemoryStoreCalendar implements StoreCalendar {
  readonly #stores = new Map<string, StoreSchedule>();

  #current(storeId: string): StoreSchedule {
    return (
      this.#stores.get(storeId) ?? { storeId, timezone: null, windows: [], openingHours: null }
    );
  }

  /** What the store registry would say: the store's IANA zone. */
  setTimezone(storeId: string, timezone: string | null): void {
    this.#stores.set(storeId, { ...this.#current(storeId), timezone });
  }

  async schedules(storeIds: readonly string[]): Promise<StoreSchedule[]> {
    return [...new Set(storeIds)].sort().flatMap((id) => {
      const s = this.#stores.get(id);
      return s ? [s] : [];
    });
  }

  async setWindows(storeId: string, windows: readonly string[]): Promise<void> {
    this.#stores.set(storeId, { ...this.#current(storeId), windows: [...windows] });
  }

  async setOpeningHours(
    storeId: string,
    hours: OpeningHours | null,
    timezone: string | undefined,
  ): Promise<void> {
    const current = this.#current(storeId);
    this.#stores.set(storeId, {
      ...current,
      openingHours: hours,
      timezone: timezone ?? current.timezone,
    });
  }
}
