/**
 * Issue 18's fleet health answers as the ops console reads them (decision 036): a store's expected
 * devices against the connected and recently seen ones, and the devices with the most errors.
 */

export const SEEN_WITHIN = ['15m', '1h', '24h'] as const;
export type SeenWithin = (typeof SEEN_WITHIN)[number];

export interface FleetDiffDevice {
  readonly deviceId: string;
  readonly deviceClass: string;
  readonly state: 'connected' | 'recent' | 'silent' | 'never-seen';
  readonly lastSeenAt: string | null;
  readonly registration: 'provisioned' | 'jit' | null;
  readonly registeredAt: string | null;
}

export interface RevokedDevice {
  readonly deviceId: string;
  readonly deviceClass: string;
  readonly revokedAt: string | null;
  readonly lastSeenAt: string | null;
}

export interface FleetDiff {
  readonly storeId: string;
  readonly seenWithin: string;
  readonly asOf: string;
  readonly expected: number;
  readonly connected: number;
  readonly recentlySeen: number;
  readonly silentCount: number;
  readonly neverSeenCount: number;
  readonly revokedCount: number;
  readonly silent: readonly FleetDiffDevice[];
  readonly neverSeen: readonly FleetDiffDevice[];
  readonly revoked: readonly RevokedDevice[];
  readonly truncated: boolean;
}

export function fleetDiffPath(storeId: string, seenWithin: SeenWithin): string {
  return `/v1/stores/${encodeURIComponent(storeId)}/fleet-diff?seenWithin=${seenWithin}`;
}

/** The windows the top-error view offers (the API takes any up to 7d). */
export const ERROR_WINDOWS = [
  { value: '1h', label: 'Last hour' },
  { value: '24h', label: 'Last day' },
  { value: '7d', label: 'Last week' },
] as const;
export type ErrorWindow = (typeof ERROR_WINDOWS)[number]['value'];

export interface ErrorDevice {
  readonly deviceId: string;
  readonly storeId: string | null;
  readonly deviceClass: string | null;
  readonly rejects: number;
  readonly rejectsByReason: Readonly<Record<string, number>>;
  readonly faults: number;
  readonly reboots: number;
  readonly total: number;
}

export function topErrorsPath(window: ErrorWindow, storeId = '', limit = 50): string {
  const query = new URLSearchParams({ since: window, limit: String(limit) });
  if (storeId !== '') query.set('store', storeId);
  return `/v1/devices/top-errors?${query.toString()}`;
}

/**
 * The reject reasons to give a column each: every reason any listed device has, the most frequent
 * across the list first, then by name, so the columns stay put between two reads of one window.
 */
export function rejectReasons(devices: readonly ErrorDevice[]): string[] {
  const totals = new Map<string, number>();
  for (const device of devices) {
    for (const [reason, n] of Object.entries(device.rejectsByReason)) {
      totals.set(reason, (totals.get(reason) ?? 0) + n);
    }
  }
  return [...totals.entries()]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .map(([reason]) => reason);
}

/** The four states of a store's expected devices as labelled figures that add up to `expected`. */
export function diffFigures(diff: FleetDiff): [string, number][] {
  return [
    ['Expected', diff.expected],
    ['Connected', diff.connected],
    ['Recently seen', diff.recentlySeen],
    ['Not seen recently', diff.silentCount],
    ['Never seen', diff.neverSeenCount],
    ['Revoked', diff.revokedCount],
  ];
}
