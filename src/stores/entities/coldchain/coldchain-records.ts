/**
 * A product profile's excursion thresholds (decision 046). A null bound is not checked: frozen
 * goods have no lower temperature bound, most profiles no humidity bound.
 */
export interface ProductProfile {
  readonly profileId: string;
  readonly name: string;
  readonly minTempC: number | null;
  readonly maxTempC: number | null;
  readonly maxHumidityPct: number | null;
  readonly maxShockG: number | null;
}

export interface NewShipment {
  readonly shipmentId: string;
  /** The profile as it was when the shipment was created: a later change does not rewrite it. */
  readonly profile: ProductProfile;
  readonly deviceIds: readonly string[];
  /** ms since epoch: readings from this time on are the shipment's. */
  readonly startedAt: number;
  readonly createdBy: string;
}

export interface ShipmentView {
  readonly shipmentId: string;
  readonly profile: ProductProfile;
  readonly deviceIds: string[];
  readonly startedAt: string;
  readonly closedAt: string | null;
  readonly createdBy: string;
  readonly closedBy: string | null;
  /** Readings attributed so far, and excursions recorded (open ones included). */
  readonly readings: number;
  readonly excursions: number;
  readonly openExcursions: number;
}

export type CreateShipmentResult =
  | { readonly created: true; readonly shipment: ShipmentView }
  | { readonly created: false; readonly reason: 'exists' }
  | { readonly created: false; readonly reason: 'device-bound'; readonly deviceId: string };

/** One cold-chain reading as ingest verified it; attributed to a shipment by the store. */
export interface ColdchainReading {
  readonly deviceId: string;
  readonly counter: number;
  /** The sensor's timestamp (ms since epoch). */
  readonly readAt: number;
  readonly temperatureC: number;
  readonly humidityPct: number;
  readonly shockG: number;
  /** When the stored row may be deleted (ms since epoch). */
  readonly expiresAt: number;
}

/** A reading as stored against its shipment, for the excursion detector. */
export interface StoredReading {
  readonly counter: number;
  readonly readAt: number;
  readonly temperatureC: number;
  readonly humidityPct: number;
  readonly shockG: number;
}

export const EXCURSION_KINDS = ['temperature', 'humidity', 'shock'] as const;
export type ExcursionKind = (typeof EXCURSION_KINDS)[number];

/** An excursion as the detector derives it from a device's readings on one shipment. */
export interface ExcursionRecord {
  readonly kind: ExcursionKind;
  /** ms since epoch: the first out-of-range reading. */
  readonly startedAt: number;
  /** ms since epoch: the first of the in-range readings that closed it; null while open. */
  readonly endedAt: number | null;
  /** The value furthest outside the range, and when it was read. */
  readonly peak: number;
  readonly peakAt: number;
  /** The bound it crossed (the one the peak is outside of). */
  readonly limit: number;
  /** Out-of-range readings in it. */
  readonly readings: number;
}

export interface ExcursionView {
  readonly excursionId: string;
  readonly shipmentId: string;
  readonly deviceId: string;
  readonly profileId: string;
  readonly kind: ExcursionKind;
  readonly startedAt: string;
  readonly endedAt: string | null;
  /** ended − started in seconds; null while open. */
  readonly durationS: number | null;
  readonly peak: number;
  readonly peakAt: string;
  readonly limit: number;
  readonly readings: number;
}

export interface ShipmentDevice {
  readonly shipmentId: string;
  readonly deviceId: string;
}

/** A pair that gained readings, and the earliest of them (ms since epoch). */
export interface ChangedPair extends ShipmentDevice {
  readonly earliest: number;
}

/** A reading's place in a pair's order (sensor time, then counter). */
export interface ReadingKey {
  readonly readAt: number;
  readonly counter: number;
}

/** Shipments, their readings and excursions (migration 016). */
export interface ColdChainRecords {
  /** Custom profiles (the built-in ones are data in the domain); false when the id is taken. */
  addProductProfile(profile: ProductProfile): Promise<boolean>;
  listProductProfiles(): Promise<ProductProfile[]>;
  /** Refused when the id exists or a device is bound to a shipment that is still open. */
  createShipment(shipment: NewShipment): Promise<CreateShipmentResult>;
  /** Closes at `at` (ms since epoch); undefined when unknown; a closed one stays as it was. */
  closeShipment(shipmentId: string, at: number, by: string): Promise<ShipmentView | undefined>;
  getShipment(shipmentId: string): Promise<ShipmentView | undefined>;
  /** Newest start first. */
  listShipments(query: {
    readonly open?: boolean;
    readonly limit: number;
  }): Promise<ShipmentView[]>;
  /**
   * Keeps each reading against the shipment its device was bound to at the reading's time
   * (start ≤ time < close); readings of no shipment are not kept. A reading already held (same
   * device and counter) changes nothing. Returns the pairs that gained a reading.
   */
  recordColdchainReadings(readings: readonly ColdchainReading[]): Promise<ChangedPair[]>;
  /**
   * The pair's newest reading before `before` (ms since epoch) after which the excursion
   * detector starts afresh: inside every bound of the shipment's profile and inside no
   * excursion (an excursion's closing reading counts as inside it). Readings up to it decide
   * nothing after it, so excursions are derived again from there on only. Null: from the start.
   */
  findExcursionAnchor(pair: ShipmentDevice, before: number): Promise<ReadingKey | null>;
  /** The pair's readings after `after` (all without), in the sensor's time order. */
  listShipmentReadings(pair: ShipmentDevice, after: ReadingKey | null): Promise<StoredReading[]>;
  /**
   * Makes the pair's excursions that start after `after` (all, when null) exactly these (keyed
   * by kind and start, so writing the same set again is a no-op); each row expires `ttlMs` after
   * its start. Returns how many rows changed.
   */
  replaceExcursions(
    pair: ShipmentDevice,
    excursions: readonly ExcursionRecord[],
    ttlMs: number,
    after: number | null,
  ): Promise<number>;
  /** Newest start first; of one shipment, or of all. */
  listExcursions(query: {
    readonly shipmentId?: string;
    readonly limit: number;
  }): Promise<ExcursionView[]>;
  /** Deletes readings and excursions whose time is past (ms since epoch); returns rows deleted. */
  expireColdchain(now: number): Promise<number>;
}
