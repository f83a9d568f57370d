import type {
  CatalogEntry,
  CredentialMethod,
  SealedCredential,
  SessionEnd,
  ShadowState,
} from '../../contract/index.js';
import type { Basket } from './basket.js';
import type { ItemInHand } from './cart-types.js';
import {
  bootMessage as deviceBootMessage,
  type MessageBody,
  type ResetReason,
} from '../core/messages.js';
import type { WeightReading } from './weight.js';

export const FIRMWARE_VERSION = '2.4.1';
export const HARDWARE_REV = 'v2-proto';

export {
  commandResponseMessage,
  jobStatusMessage,
  type MessageBody,
  type ResetReason,
} from '../core/messages.js';

/** The cart's boot message: the shared one with the cart's hardware revision by default. */
export function bootMessage(
  booted: Parameters<typeof deviceBootMessage>[0],
  resetReason: ResetReason,
  bootCount: number,
  caGenerations: readonly number[],
  hardwareRev = HARDWARE_REV,
): MessageBody {
  return deviceBootMessage(booted, resetReason, bootCount, caGenerations, hardwareRev);
}

export const NO_PAYMENT: SessionEnd['payment'] = {
  method: 'none',
  status: 'not-attempted',
  amount_cents: 0,
};

export function sessionStartMessage(
  sessionId: string,
  reason: 'new' | 'resume',
  batteryPct: number,
): MessageBody {
  return { type: 'session-start', session_id: sessionId, reason, battery_pct: batteryPct };
}

/** Who the customer is, sealed to the identity service: never the credential in the clear. */
export function identifyMessage(
  sessionId: string,
  method: CredentialMethod,
  credential: SealedCredential,
): MessageBody {
  return { type: 'identify', session_id: sessionId, method, credential };
}

export function scanMessage(
  sessionId: string,
  seq: number,
  action: 'add' | 'remove',
  item: ItemInHand,
  entry: CatalogEntry | undefined,
  reading: WeightReading,
  readMs: number,
): MessageBody {
  return {
    type: 'scan',
    session_id: sessionId,
    scan_seq: Math.min(seq, 10000),
    action,
    barcode: item.barcode,
    symbology: item.symbology,
    ...(entry ? { sku: entry.sku, price_cents: entry.price_cents } : {}),
    quantity: 1,
    weight_delta_g: reading.deltaG,
    ...(reading.expectedG !== undefined ? { expected_weight_g: reading.expectedG } : {}),
    weight_check: reading.check,
    read_ms: Math.min(10000, readMs),
  };
}

export function sessionEndMessage(
  basket: Basket,
  status: SessionEnd['status'],
  currency: string,
  payment: SessionEnd['payment'],
): MessageBody {
  return {
    type: 'session-end',
    session_id: basket.sessionId,
    status,
    item_count: basket.itemCount,
    total_cents: basket.totalCents,
    currency,
    contents: basket.lines.slice(0, 250),
    weight_mismatches: basket.weightMismatches,
    payment,
  };
}

/** The shadow as the cart now stands, answering the desired document of `desiredVersion`. */
export function shadowReportMessage(
  desiredVersion: number,
  desired: ShadowState,
  now: {
    maintenance: boolean;
    firmware: string;
    catalogVersion: string | undefined;
    caGenerations: readonly number[];
  },
): MessageBody {
  const reported: ShadowState = {
    ...(desired.health_interval_s !== undefined
      ? { health_interval_s: desired.health_interval_s }
      : {}),
    ...(desired.idle_health_interval_s !== undefined
      ? { idle_health_interval_s: desired.idle_health_interval_s }
      : {}),
    maintenance_mode: now.maintenance,
    firmware_version: now.firmware,
    ...(now.catalogVersion ? { catalog_version: now.catalogVersion } : {}),
    ca_generations: [...now.caGenerations],
  };
  return { type: 'shadow-report', desired_version: desiredVersion, reported };
}
