import type { AlarmView } from '../../stores/entities/alarms/alarm-records.js';
import type { AlertView, SessionStatus } from '../../stores/entities/entity-store.js';

/**
 * What GET /v1/stream sends (decision 023), one SSE event per change: `event:` is the kind,
 * `data:` the JSON below, `id:` a position to resume from (Last-Event-ID). Events say what
 * changed so a page can patch what it shows; a page that (re)connects reads the lists afresh.
 */
export const LIVE_EVENT_KINDS = [
  'session',
  'scan',
  'cart',
  'alert',
  'rollout',
  'dead-letter',
  'alarm',
] as const;
export type LiveEventKind = (typeof LIVE_EVENT_KINDS)[number];

/** One line of a basket: the net quantity of one item (adds minus removes). */
export interface BasketLine {
  readonly sku: string | null;
  readonly barcode: string;
  readonly quantity: number;
  /** The price the cart showed at the last scan of it; null when the cart did not know it. */
  readonly priceCents: number | null;
  /** A scan of this item failed its weight check. */
  readonly weightMismatch: boolean;
}

/** A session's state or basket changed. */
export interface SessionEventData {
  readonly sessionId: string;
  readonly storeId: string;
  readonly deviceId: string;
  readonly status: SessionStatus;
  /** Items in the basket: net quantity, or the session-end's count once it ended. */
  readonly itemCount: number;
  /** The running total, or the session-end's total once it ended. */
  readonly totalCents: number;
  readonly currency: string | null;
  readonly scanMismatches: number;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly lines: readonly BasketLine[];
}

/** One barcode read, as the cart sent it. */
export interface ScanEventData {
  readonly sessionId: string;
  readonly storeId: string;
  readonly deviceId: string;
  readonly counter: number;
  readonly scanSeq: number;
  readonly action: 'add' | 'remove';
  readonly barcode: string;
  readonly sku: string | null;
  readonly quantity: number;
  readonly priceCents: number | null;
  readonly weightCheck: 'match' | 'mismatch' | 'not-checked';
  readonly scannedAt: string;
}

/**
 * A cart changed: its health report (`change: 'health'`, the state and battery fields), its
 * shadow report (`'shadow'`, the desired version it applied), the staff maintenance flag
 * (`'maintenance'`), or its connection (`'connection'`). Only the fields of that change are
 * present.
 */
export interface CartEventData {
  readonly deviceId: string;
  readonly storeId: string;
  readonly change: 'health' | 'shadow' | 'maintenance' | 'connection';
  readonly at: string;
  readonly state?: string;
  readonly batteryPct?: number;
  readonly charging?: boolean;
  readonly link?: string;
  readonly rssiDbm?: number | null;
  readonly firmwareVersion?: string;
  readonly sessionId?: string | null;
  readonly maintenance?: {
    readonly reason: string | null;
    readonly note: string | null;
    readonly setBy: string;
    readonly setAt: string;
  };
  readonly connected?: boolean;
  readonly reportedDesiredVersion?: number;
}

/** A loss-prevention alert was raised, acknowledged or resolved; `alert` as it now stands. */
export interface AlertEventData {
  readonly action: 'raised' | 'acknowledged' | 'resolved';
  readonly alert: AlertView;
}

/** A rollout's stage, state or job counts changed (GET /v1/ota/rollouts/:id has the rest). */
export interface RolloutEventData {
  readonly rolloutId: string;
  readonly state: string;
  readonly deviceClass: string;
  readonly targetVersion: string;
  readonly stage: { readonly index: number; readonly name: string; readonly endsAt: string };
  readonly totals: {
    readonly devices: number;
    readonly pending: number;
    readonly sent: number;
    readonly onNewVersion: number;
    readonly rolledBack: number;
    readonly failed: number;
    readonly rejected: number;
    readonly timedOut: number;
    readonly onNewVersionPct: number;
    readonly rolledBackPct: number;
  };
  readonly haltReason: string | null;
}

/** Events were parked in the dead-letter store, or replayed out of it. */
export interface DeadLetterEventData {
  readonly change: 'added' | 'replayed';
  readonly count: number;
  /** Dead letters now waiting. */
  readonly total: number;
}

/**
 * A rule's alarm fired, or was acknowledged or resolved (by a person or by the rule); `alarm` as
 * it now stands (decision 039). Ops only: the alarms API is.
 */
export interface AlarmEventData {
  readonly action: 'fired' | 'acknowledged' | 'resolved';
  readonly alarm: AlarmView;
}

export interface LiveEventData {
  readonly session: SessionEventData;
  readonly scan: ScanEventData;
  readonly cart: CartEventData;
  readonly alert: AlertEventData;
  readonly rollout: RolloutEventData;
  readonly 'dead-letter': DeadLetterEventData;
  readonly alarm: AlarmEventData;
}

/**
 * Who an event is about, for filtering; never sent. Rollouts and dead letters are about the
 * fleet (no store); a session's and its scans' `accountId` is the customer's (null: a guest).
 */
export interface LiveAudience {
  readonly storeId?: string;
  readonly deviceId?: string;
  readonly sessionId?: string;
  readonly accountId?: string | null;
}

export interface LiveEvent<K extends LiveEventKind = LiveEventKind> {
  /** Empty for an event sent to one client only (a snapshot on connect). */
  readonly id: string;
  readonly kind: K;
  readonly audience: LiveAudience;
  readonly data: LiveEventData[K];
}

/** Publishes events to the open streams (the bus); services that change state hold this. */
export interface LivePublisher {
  publish<K extends LiveEventKind>(kind: K, audience: LiveAudience, data: LiveEventData[K]): void;
  /** Someone is listening: enrichment that costs a read can be skipped otherwise. */
  readonly listening: boolean;
}
