import type { RegisteredDevice } from './fleet-diff.js';

export interface RegistryByStoreOptions {
  /** Every record of the registry (the file registry reads one file per device). */
  readonly list: () => Promise<readonly (RegisteredDevice & { readonly store: string })[]>;
  /**
   * Something that changes whenever a record is added or rewritten: the file registry's
   * directory modification time (a create, and an atomic rewrite's rename, both touch it).
   */
  readonly stamp: () => Promise<number>;
  /** Read again at least this often, whatever the stamp says (ms; 60 s). */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

/**
 * A store's registry records for the fleet diff, from an index by store that is rebuilt only when
 * the registry changed. The registry has no index by store: listing it reads every device's file,
 * which for a fleet of 50,000 would be the whole cost of each fleet diff. With the index a diff
 * costs O(devices of the store) while nobody provisions or revokes; the read after a change costs
 * the whole registry once, and concurrent callers share it.
 */
export function registryByStore(
  options: RegistryByStoreOptions,
): (storeId: string) => Promise<readonly RegisteredDevice[]> {
  const now = options.now ?? Date.now;
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  let index:
    Promise<{ stamp: number; at: number; byStore: Map<string, RegisteredDevice[]> }> | undefined;
  const build = async () => {
    // The stamp is taken before the read: a change during the read leaves an older stamp, so the
    // next call reads again rather than keep a list that may have missed it.
    const [stamp, at] = [await options.stamp(), now()];
    const byStore = new Map<string, RegisteredDevice[]>();
    for (const record of await options.list()) {
      const list = byStore.get(record.store) ?? [];
      // Only what the diff reads: a full record carries its certificates' PEM, kilobytes each.
      const { serial, class: deviceClass, status, how, registered_at, revoked_at } = record;
      list.push({
        ...{ serial, class: deviceClass, status, how, registered_at },
        ...(revoked_at !== undefined ? { revoked_at } : {}),
      });
      byStore.set(record.store, list);
    }
    return { stamp, at, byStore };
  };
  return async (storeId) => {
    const current = index ? await index.catch(() => undefined) : undefined;
    if (
      current === undefined ||
      now() - current.at >= maxAgeMs ||
      (await options.stamp()) !== current.stamp
    ) {
      const next = build();
      index = next;
      return (await next).byStore.get(storeId) ?? [];
    }
    return current.byStore.get(storeId) ?? [];
  };
}
