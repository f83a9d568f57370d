import type { StageSpec } from './ports.js';

/** What cohort ordering needs of a device. */
export interface Placeable {
  readonly deviceId: string;
  readonly storeId: string;
  readonly hardwareRev: string | null;
}

/** FNV-1a, 32 bits: a stable, seedable spread; not a security property. */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The order devices receive the update in. Any prefix is spread across hardware revisions first
 * and stores second: a round-robin over hardware revisions, each taking its next store in its own
 * round-robin, each store its next device. Revisions, stores and devices are shuffled by a hash of
 * the rollout id, so the order is deterministic for a rollout and differs between rollouts (the
 * same unlucky store is not always first). Equal turns, not proportional ones: a rare hardware
 * revision reaches the canary stages, which is the point of spreading. O(n log n).
 */
export function cohortOrder<T extends Placeable>(rolloutId: string, devices: readonly T[]): T[] {
  const key = (text: string) => stableHash(`${rolloutId}\u0000${text}`);
  const byRev = new Map<string, Map<string, T[]>>();
  for (const d of devices) {
    const rev = d.hardwareRev ?? '';
    let stores = byRev.get(rev);
    if (!stores) byRev.set(rev, (stores = new Map()));
    let list = stores.get(d.storeId);
    if (!list) stores.set(d.storeId, (list = []));
    list.push(d);
  }
  const shuffle = <V>(entries: [string, V][]) =>
    entries
      .map(([k, v]) => ({ h: key(k), k, v }))
      .sort((a, b) => a.h - b.h || (a.k < b.k ? -1 : 1))
      .map((e) => e.v);
  const revs = shuffle([...byRev.entries()]).map((stores) => ({
    stores: shuffle([...stores.entries()]).map((list) => ({
      list: shuffle(list.map((d) => [d.deviceId, d] as [string, T])),
      next: 0,
    })),
    turn: 0,
  }));

  const out: T[] = [];
  let live = revs.filter((r) => r.stores.length > 0);
  while (live.length > 0) {
    for (const rev of live) {
      // The next store of this revision that still has devices.
      const store = rev.stores[rev.turn % rev.stores.length]!;
      out.push(store.list[store.next++]!);
      if (store.next >= store.list.length) rev.stores.splice(rev.turn % rev.stores.length, 1);
      else rev.turn++;
    }
    live = live.filter((r) => r.stores.length > 0);
  }
  return out;
}

/**
 * How many devices stage k covers, cumulatively, out of n: the canary its count (or its explicit
 * list), a share ceil(percent × n); at least one device and never fewer than the stage before.
 */
export function cohortSizes(
  stages: readonly StageSpec[],
  n: number,
  canary: number | null,
): number[] {
  const sizes: number[] = [];
  let previous = 0;
  stages.forEach((stage, k) => {
    const want =
      'devices' in stage.cohort
        ? k === 0 && canary !== null
          ? canary
          : stage.cohort.devices
        : Math.ceil((stage.cohort.percent / 100) * n - 1e-9);
    previous = Math.min(n, Math.max(previous, want, 1));
    sizes.push(previous);
  });
  return sizes;
}
