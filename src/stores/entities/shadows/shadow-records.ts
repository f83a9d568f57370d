/** A device's shadow as stored: what the cloud wants and what the device last said it is. */
export interface ShadowRecord {
  readonly deviceId: string;
  readonly desired: Readonly<Record<string, unknown>>;
  /** 0 until the cloud first sets something; every change adds one. */
  readonly desiredVersion: number;
  readonly desiredBy: string | null;
  readonly desiredAt: string | null;
  readonly reported: Readonly<Record<string, unknown>> | null;
  /** The desired version the device had applied when it reported. */
  readonly reportedDesiredVersion: number | null;
  /** The device counter of the report kept (the newest). */
  readonly reportedCounter: number | null;
  readonly reportedAt: string | null;
}

export interface DesiredWrite {
  readonly desired: Readonly<Record<string, unknown>>;
  /** The version the caller read; the write happens only if it is still the current one. */
  readonly expectedVersion: number;
  readonly by: string;
  readonly at: number;
}

export type DesiredWriteResult =
  | { readonly ok: true; readonly shadow: ShadowRecord }
  | { readonly ok: false; readonly reason: 'conflict' | 'unknown-device' };

export interface ShadowReportRecord {
  readonly deviceId: string;
  readonly reported: Readonly<Record<string, unknown>>;
  readonly desiredVersion: number;
  readonly counter: number;
  readonly at: number;
}

/** The device shadow half of the entity store. */
export interface ShadowRecords {
  /** Undefined when nothing was ever desired or reported for the device. */
  getShadow(deviceId: string): Promise<ShadowRecord | undefined>;
  /**
   * Replaces the desired document and adds one to its version, if the version is still
   * `expectedVersion` (optimistic: two writers cannot both win on the same version).
   */
  writeShadowDesired(deviceId: string, write: DesiredWrite): Promise<DesiredWriteResult>;
  /** Keeps the report if it is newer (by device counter) than the one held; false otherwise. */
  recordShadowReport(report: ShadowReportRecord): Promise<boolean>;
  /** Shadows with a desired document (version > 0), by device id, a page after `after`. */
  listDesiredShadows(after: string | null, limit: number): Promise<ShadowRecord[]>;
}
