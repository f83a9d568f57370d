import type { DeviceRecord } from '../../edge/identity/index.js';
import type { DeviceView } from '../../stores/entities/entity-store.js';

/** The windows a device counts as recently seen in (`?seenWithin=`). */
export const SEEN_WITHIN = { '15m': 15 * 60_000, '1h': 3_600_000, '24h': 86_400_000 } as const;
export type SeenWithin = keyof typeof SEEN_WITHIN;
export const DEFAULT_SEEN_WITHIN: SeenWithin = '15m';
/** The most devices one fleet-diff list holds (a store of 10,000 devices fits whole). */
export const MAX_FLEET_LIST = 10_000;

/** Each expected device is in exactly one of these, so their counts add up to `expected`. */
export type FleetDeviceState = 'connected' | 'recent' | 'silent' | 'never-seen';

/** What the fleet diff reads of a registry record. */
export type RegisteredDevice = Pick<
  DeviceRecord,
  'serial' | 'class' | 'status' | 'how' | 'registered_at' | 'revoked_at'
>;

export interface FleetDiffDevice {
  readonly deviceId: string;
  readonly deviceClass: string;
  readonly state: FleetDeviceState;
  readonly lastSeenAt: string | null;
  /** How it came to be expected: provisioned or registered just in time; null when only the entity store knows it. */
  readonly registration: 'provisioned' | 'jit' | null;
  readonly registeredAt: string | null;
}

export interface RevokedFleetDevice {
  readonly deviceId: string;
  readonly deviceClass: string;
  readonly revokedAt: string | null;
  readonly lastSeenAt: string | null;
}

export interface FleetDiff {
  readonly storeId: string;
  readonly seenWithin: SeenWithin;
  readonly asOf: string;
  readonly expected: number;
  readonly connected: number;
  /** Seen within the window but not connected now. */
  readonly recentlySeen: number;
  readonly silentCount: number;
  readonly neverSeenCount: number;
  readonly revokedCount: number;
  /** Seen before, not within the window, not connected; by device id. */
  readonly silent: FleetDiffDevice[];
  /** Expected but never connected nor sent anything; by device id. */
  readonly neverSeen: FleetDiffDevice[];
  /** Revoked devices: not expected, listed apart; by device id. */
  readonly revoked: RevokedFleetDevice[];
  /** True when a list was cut at `limit` (the counts are always whole). */
  readonly truncated: boolean;
  /** Every expected device with its state, when asked for. */
  readonly devices?: FleetDiffDevice[];
}

export interface FleetDiffInput {
  readonly storeId: string;
  /** The store's devices in the registry (provisioned or registered just in time). */
  readonly registered: readonly RegisteredDevice[];
  /** The store's devices in the entity store (connected, or sent something). */
  readonly known: readonly Pick<
    DeviceView,
    'deviceId' | 'deviceClass' | 'connected' | 'lastSeenAt'
  >[];
  readonly now: number;
  readonly seenWithin: SeenWithin;
  /** The most entries of each list. */
  readonly limit: number;
  readonly withDevices: boolean;
}

/**
 * A store's expected devices against the ones connected and recently seen: one pass over the
 * store's registry records and entity rows (O(devices of the store)), lists cut at `limit`.
 */
export function fleetDiff(input: FleetDiffInput): FleetDiff {
  const since = input.now - SEEN_WITHIN[input.seenWithin];
  const known = new Map(input.known.map((d) => [d.deviceId, d]));
  const registered = new Map(input.registered.map((r) => [r.serial as string, r]));
  const ids = [...new Set([...registered.keys(), ...known.keys()])].sort();
  const counts = { connected: 0, recent: 0, silent: 0, 'never-seen': 0 };
  const lists = { silent: [] as FleetDiffDevice[], neverSeen: [] as FleetDiffDevice[] };
  const revoked: RevokedFleetDevice[] = [];
  const devices: FleetDiffDevice[] = [];
  let revokedCount = 0;
  let truncated = false;
  const keep = <T>(list: T[], item: T) => {
    if (list.length < input.limit) list.push(item);
    else truncated = true;
  };

  for (const deviceId of ids) {
    const record = registered.get(deviceId);
    const view = known.get(deviceId);
    const deviceClass = record?.class ?? view?.deviceClass ?? 'cart';
    const lastSeenAt = view?.lastSeenAt ?? null;
    if (record?.status === 'revoked') {
      revokedCount++;
      keep(revoked, { deviceId, deviceClass, revokedAt: record.revoked_at ?? null, lastSeenAt });
      continue;
    }
    const state: FleetDeviceState =
      view?.connected === true
        ? 'connected'
        : lastSeenAt === null
          ? 'never-seen'
          : Date.parse(lastSeenAt) >= since
            ? 'recent'
            : 'silent';
    counts[state]++;
    const device: FleetDiffDevice = {
      deviceId,
      deviceClass,
      state,
      lastSeenAt,
      registration: record?.how ?? null,
      registeredAt: record?.registered_at ?? null,
    };
    if (state === 'silent') keep(lists.silent, device);
    if (state === 'never-seen') keep(lists.neverSeen, device);
    if (input.withDevices) keep(devices, device);
  }

  return {
    storeId: input.storeId,
    seenWithin: input.seenWithin,
    asOf: new Date(input.now).toISOString(),
    expected: ids.length - revokedCount,
    connected: counts.connected,
    recentlySeen: counts.recent,
    silentCount: counts.silent,
    neverSeenCount: counts['never-seen'],
    revokedCount,
    silent: lists.silent,
    neverSeen: lists.neverSeen,
    revoked,
    truncated,
    ...(input.withDevices ? { devices } : {}),
  };
}
