/** Rejected messages of one device in one hour for one reason, as ingest gathered them. */
export interface DeviceRejectCount {
  readonly deviceId: string;
  /** The reject reason (the ingest's closed set: schema, signature, replay…). */
  readonly reason: string;
  /** When they were refused (ms since epoch): counted in the UTC hour that holds it. */
  readonly at: number;
  readonly count: number;
}

export interface TopErrorQuery {
  /** The window's start (ms since epoch); rejects are counted by whole hours from its hour on. */
  readonly since: number;
  readonly limit: number;
  /** Only the devices of this store (as the entity store knows them). */
  readonly storeId?: string;
}

/** One device's errors in a window. */
export interface DeviceErrorCounts {
  readonly deviceId: string;
  /** Null for a device the entity store has no row for (rejected before it ever connected). */
  readonly storeId: string | null;
  readonly deviceClass: string | null;
  readonly rejects: number;
  readonly rejectsByReason: Readonly<Record<string, number>>;
  /** Fault events the projection recorded. */
  readonly faults: number;
  /** Unexpected reboots: boots after a watchdog, panic or brownout reset, or a rollback. */
  readonly reboots: number;
  readonly total: number;
}

/**
 * The device-health half of the entity store (issue 18): a durable per-device reject counter,
 * and the "top error devices" query over it and the faults and failed boots projection keeps.
 */
export interface DeviceHealthRecords {
  /**
   * Adds the counts (one statement, whatever the batch's size) and prunes counts older than
   * eight days before `now` (ms since epoch).
   */
  recordDeviceRejects(counts: readonly DeviceRejectCount[], now: number): Promise<void>;
  /** Devices with any reject, fault or unexpected reboot since the window's start, most first. */
  listTopErrorDevices(query: TopErrorQuery): Promise<DeviceErrorCounts[]>;
}
