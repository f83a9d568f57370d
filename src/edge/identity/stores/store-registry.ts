import type { StoreId } from '../../../contract/ids.js';

export const REGIONS = ['us', 'eu'] as const;
export type Region = (typeof REGIONS)[number];

export function isRegion(value: string): value is Region {
  return (REGIONS as readonly string[]).includes(value);
}

export interface StoreRecord {
  readonly id: StoreId;
  readonly name: string;
  /** Null when the operator did not say: nothing may assume a data-residency region for it. */
  readonly region: Region | null;
  /** IANA time zone, e.g. Europe/Berlin; null when not given. */
  readonly timezone: string | null;
  readonly created_at: string;
}

/** Where stores live. The file adapter is the default; see store-registry.contract.ts. */
export interface StoreRegistry {
  get(id: StoreId): Promise<StoreRecord | undefined>;
  /** Creates a store unless one with that id exists: 'exists' leaves the stored one as it was. */
  create(record: StoreRecord): Promise<'created' | 'exists'>;
  list(): Promise<StoreRecord[]>;
}
