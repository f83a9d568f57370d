import type { DeviceClass, DeviceMessageType } from '../../contract/index.js';
import type { DailyAggregate, FoldOutcome, TelemetryRetentionDue } from './daily-aggregates.js';

export type { DailyAggregate, FoldOutcome, TelemetryRetentionDue } from './daily-aggregates.js';

/** Tier 1 stays hot for 18 months (PRD retention); older events are deleted by `expire`. */
export const DEFAULT_RETENTION_DAYS = 548;

/** One verified event, as the ingest writes it. */
export interface TelemetryRecord {
  readonly deviceId: string;
  readonly storeId: string;
  readonly deviceClass: DeviceClass;
  readonly type: DeviceMessageType;
  readonly counter: number;
  /** The device's own timestamp, ms since epoch. */
  readonly deviceTime: number;
  /** Arrival at the platform, ms since epoch. */
  readonly receivedAt: number;
  /** The signed JSON body exactly as the device sent it. */
  readonly body: string;
  /** The 64-byte r||s signature over `body`, kept as evidence. */
  readonly signature: Uint8Array;
}

/** A stored event: the record plus its position in the store's change feed. */
export interface StoredEvent extends TelemetryRecord {
  readonly seq: number;
}

export interface AppendOutcome {
  /** Per record, in order: true when stored now, false when (device, counter) was stored before. */
  readonly fresh: readonly boolean[];
  /** Per record: the sequence number it was stored under now, or null for a repeat. */
  readonly seqs: readonly (number | null)[];
}

export interface DeviceEventsQuery {
  readonly limit: number;
  readonly type?: DeviceMessageType;
  /** Only events strictly older than this, in the newest-first order: the previous page's last. */
  readonly before?: { readonly deviceTime: number; readonly counter: number };
}

/** What one device sent in a period, for metering. */
export interface DeviceUsage {
  readonly storeId: string;
  readonly deviceId: string;
  readonly deviceClass: DeviceClass;
  readonly messages: number;
  /** Bytes stored for those messages: body and signature. */
  readonly bytes: number;
  /** UTC days (by device time) on which it sent anything. */
  readonly activeDays: number;
}

export interface StoreEventsQuery {
  /** Device time, ms since epoch, inclusive. */
  readonly from: number;
  /** Device time, ms since epoch, exclusive. */
  readonly to: number;
  readonly limit: number;
}

/**
 * "What happened": append-only, keyed (device, time), deduplicated on (device, counter), with TTL
 * expiry and an index by store. The SQLite file is the embedded default; a DynamoDB-style adapter
 * keeps the same key design.
 */
export interface TelemetryStore {
  /** Stores a batch durably in one step; a record whose (device, counter) exists is not stored again. */
  append(records: readonly TelemetryRecord[]): Promise<AppendOutcome>;
  /** Newest first, by device time. */
  latestForDevice(deviceId: string, query: DeviceEventsQuery): Promise<StoredEvent[]>;
  /** Oldest first, by device time. */
  storeEventsBetween(storeId: string, query: StoreEventsQuery): Promise<StoredEvent[]>;
  /** The change feed: events stored after `seq`, in storage order. */
  eventsAfter(seq: number, limit: number): Promise<StoredEvent[]>;
  /**
   * Per device, what it sent with device time in [from, to) (ms since epoch): messages, stored
   * bytes and active UTC days. Ordered by store, then device. A metering query: it reads the period.
   */
  usageBetween(from: number, to: number): Promise<DeviceUsage[]>;
  /** Events with these sequence numbers (for re-projecting dead letters). */
  eventsBySeq(seqs: readonly number[]): Promise<StoredEvent[]>;
  /** Deletes events whose retention has passed; returns how many. */
  expire(now: number): Promise<number>;
  // Retention (decision 063): times are device times, ms since epoch; cutoffs are UTC midnights.
  /** What `foldBefore(rawBefore)` and `dropAggregatesBefore(aggregatesBefore)` would touch. */
  retentionDue(rawBefore: number, aggregatesBefore: number): Promise<TelemetryRetentionDue>;
  /**
   * Folds events with device time before `before` into per device, UTC day, type and field
   * aggregates, then deletes them. Each event is counted once however often this runs, including
   * after a crash between the fold and the delete.
   */
  foldBefore(before: number): Promise<FoldOutcome>;
  /** Deletes the aggregates of days before `before`; returns how many (device, day) pairs. */
  dropAggregatesBefore(before: number): Promise<number>;
  /** A device's aggregates of days in [from, to), by day, type and field. */
  dailyAggregates(deviceId: string, from: number, to: number): Promise<DailyAggregate[]>;
  count(): Promise<number>;
  close(): Promise<void>;
}
