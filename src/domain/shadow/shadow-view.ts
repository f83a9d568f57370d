import type { ShadowRecord } from '../../stores/entities/entity-store.js';

/** A device's shadow as the API shows it. */
export interface ShadowView {
  readonly deviceId: string;
  readonly desired: Readonly<Record<string, unknown>>;
  readonly desiredVersion: number;
  readonly reported: Readonly<Record<string, unknown>> | null;
  readonly reportedDesiredVersion: number | null;
  readonly reportedAt: string | null;
  /** Desired keys whose reported value differs (or is missing), with the desired value. */
  readonly delta: Readonly<Record<string, unknown>>;
  /** The device acknowledged the current desired version and reports every desired value. */
  readonly inSync: boolean;
}

export function shadowView(deviceId: string, record: ShadowRecord | undefined): ShadowView {
  const desired = record?.desired ?? {};
  const reported = record?.reported ?? null;
  const delta: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(desired)) {
    if (!sameValue(value, reported?.[key])) delta[key] = value;
  }
  const desiredVersion = record?.desiredVersion ?? 0;
  const acknowledged = (record?.reportedDesiredVersion ?? 0) >= desiredVersion;
  return {
    deviceId,
    desired,
    desiredVersion,
    reported,
    reportedDesiredVersion: record?.reportedDesiredVersion ?? null,
    reportedAt: record?.reportedAt ?? null,
    delta,
    inSync: acknowledged && Object.keys(delta).length === 0,
  };
}

// Shadow values are JSON scalars or small arrays of integers: compared by their JSON text.
function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
