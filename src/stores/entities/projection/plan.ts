import type { DeviceClass, Location, SessionEnd } from '../../../contract/index.js';
import type { IngestedEvent, SessionStatus } from '../entity-store.js';
import type { Static } from 'typebox';

/** A value with the counter of the event that wrote it: newer counters win, in any arrival order. */
export interface Register<V> {
  readonly counter: number;
  readonly value: V;
}

export interface DeviceStatus {
  readonly state: string | null;
  readonly batteryPct: number | null;
  readonly batteryMv: number | null;
  readonly charging: boolean | null;
  readonly link: string | null;
  readonly rssiDbm: number | null;
}

export interface DeviceLocation {
  readonly lat: number;
  readonly lon: number;
  readonly accuracyM: number;
  readonly source: string;
  readonly at: number;
}

export interface DeviceFault {
  readonly code: string;
  readonly severity: string;
  readonly at: number;
}

/** What one batch says about one device's current state: the newest value of each register. */
export interface DevicePatch {
  readonly deviceId: string;
  readonly storeId: string;
  readonly deviceClass: DeviceClass;
  lastCounter: number;
  lastSeenAt: number;
  status?: Register<DeviceStatus>;
  firmware?: Register<string>;
  maintenance?: Register<boolean>;
  location?: Register<DeviceLocation>;
  /** The active session id, or null when the device says none is active. */
  session?: Register<string | null>;
  fault?: Register<DeviceFault>;
  /** From boot messages: the hardware revision an image must list. */
  hardware?: Register<string>;
  /** Fleet CA generations the device trusts (boot, shadow report). */
  ca?: Register<readonly number[]>;
}

export interface SessionClose {
  readonly endedAt: number;
  readonly itemCount: number;
  readonly totalCents: number;
  readonly currency: string;
  readonly weightMismatches: number;
  readonly contents: SessionEnd['contents'];
}

/** What one batch says about one session. */
export interface SessionPatch {
  readonly sessionId: string;
  deviceId: string;
  storeId: string;
  firstCounter: number;
  startedAt: number;
  status?: Register<SessionStatus>;
  close?: SessionClose;
  identify?: Register<{
    readonly method: 'loyalty' | 'payment-token' | 'app-code';
    readonly at: number;
  }>;
}

export interface ScanRow {
  readonly deviceId: string;
  readonly counter: number;
  readonly sessionId: string;
  readonly storeId: string;
  readonly scanSeq: number;
  readonly action: 'add' | 'remove';
  readonly barcode: string;
  readonly symbology: string;
  readonly sku: string | null;
  readonly quantity: number;
  readonly priceCents: number | null;
  readonly weightDeltaG: number;
  readonly expectedWeightG: number | null;
  readonly weightCheck: 'match' | 'mismatch' | 'not-checked';
  readonly readMs: number;
  readonly scannedAt: number;
}

export interface PaymentRow {
  readonly sessionId: string;
  readonly deviceId: string;
  readonly counter: number;
  readonly method: 'store-terminal' | 'none';
  readonly status: 'authorized' | 'declined' | 'deferred';
  readonly amountCents: number;
  readonly currency: string;
  readonly authReference: string | null;
  readonly decidedAt: number;
}

/**
 * A fault or a failed boot, counted against a firmware version for the OTA halt condition. A
 * fault carries no version: null means the device's firmware as the store knows it.
 */
export interface HealthEventRow {
  readonly deviceId: string;
  readonly counter: number;
  readonly kind: 'fault' | 'failed-boot';
  readonly version: string | null;
  readonly at: number;
}

/** A batch folded into one row per device and per session, ready for a handful of statements. */
export interface ProjectionPlan {
  readonly storeIds: string[];
  readonly devices: DevicePatch[];
  readonly sessions: SessionPatch[];
  readonly scans: ScanRow[];
  readonly payments: PaymentRow[];
  readonly healthEvents: HealthEventRow[];
}

/** Resets that mean the firmware that was running failed (issue 8's "failed boot"). */
const FAILED_RESETS: readonly string[] = ['watchdog', 'panic', 'brownout'];

export const TERMINAL_STATUSES: readonly SessionStatus[] = [
  'complete',
  'abandoned',
  'voided',
  'transferred',
];

/**
 * Folds a batch. Pure: the same events in any order give the same plan, and the plan holds only
 * the newest value per register, so the SQL that applies it compares each with the stored counter
 * and a replayed or reordered batch changes nothing that a newer event already set.
 */
export function planProjection(events: readonly IngestedEvent[]): ProjectionPlan {
  const stores = new Set<string>();
  const devices = new Map<string, DevicePatch>();
  const sessions = new Map<string, SessionPatch>();
  const scans = new Map<string, ScanRow>();
  const payments = new Map<string, PaymentRow>();
  const healthEvents: HealthEventRow[] = [];

  for (const event of events) {
    stores.add(event.storeId);
    const device = devicePatch(devices, event);
    const m = event.message;
    const c = event.counter;
    const location =
      'location' in m ? (m.location as Static<typeof Location> | undefined) : undefined;
    if (location) {
      write(device, 'location', c, {
        lat: location.lat,
        lon: location.lon,
        accuracyM: location.accuracy_m,
        source: location.source,
        at: event.deviceTime,
      });
    }
    switch (m.type) {
      case 'health':
        write(device, 'status', c, {
          state: m.state,
          batteryPct: m.battery_pct,
          batteryMv: m.battery_mv,
          charging: m.charging,
          link: m.link,
          rssiDbm: m.rssi_dbm ?? null,
        });
        write(device, 'firmware', c, m.firmware_version);
        write(device, 'maintenance', c, m.state === 'maintenance');
        write(device, 'session', c, m.session_id ?? null);
        if (m.session_id !== undefined && (m.state === 'active' || m.state === 'paused')) {
          setStatus(sessionPatch(sessions, event, m.session_id), c, m.state);
        }
        break;
      case 'boot': {
        write(device, 'firmware', c, m.firmware_version);
        write(device, 'hardware', c, m.hardware_rev);
        write(device, 'ca', c, m.ca_generations);
        // A rollback counts against the version that failed to come up, not the one running now.
        const failed = m.rolled_back
          ? m.previous_version
          : FAILED_RESETS.includes(m.reset_reason)
            ? m.firmware_version
            : undefined;
        if (failed !== undefined) {
          healthEvents.push({
            deviceId: event.deviceId,
            counter: c,
            kind: 'failed-boot',
            version: failed,
            at: event.deviceTime,
          });
        }
        break;
      }
      case 'fault':
        write(device, 'fault', c, { code: m.code, severity: m.severity, at: event.deviceTime });
        healthEvents.push({
          deviceId: event.deviceId,
          counter: c,
          kind: 'fault',
          version: null,
          at: event.deviceTime,
        });
        break;
      case 'shadow-report':
        if (m.reported.firmware_version !== undefined)
          write(device, 'firmware', c, m.reported.firmware_version);
        if (m.reported.maintenance_mode !== undefined)
          write(device, 'maintenance', c, m.reported.maintenance_mode);
        if (m.reported.ca_generations !== undefined)
          write(device, 'ca', c, m.reported.ca_generations);
        break;
      case 'coldchain-telemetry':
        write(device, 'status', c, { ...NO_STATUS, batteryPct: m.battery_pct });
        break;
      case 'tool-telemetry':
        write(device, 'status', c, { ...NO_STATUS, state: m.mode, batteryPct: m.battery_pct });
        break;
      case 'session-start':
        write(device, 'session', c, m.session_id);
        setStatus(sessionPatch(sessions, event, m.session_id), c, 'active');
        break;
      case 'identify': {
        const session = sessionPatch(sessions, event, m.session_id);
        if (session.identify === undefined || c > session.identify.counter) {
          session.identify = {
            counter: c,
            value: { method: m.method, at: event.deviceTime },
          };
        }
        break;
      }
      case 'scan':
        sessionPatch(sessions, event, m.session_id);
        scans.set(`${event.deviceId}\u0000${c}`, {
          deviceId: event.deviceId,
          counter: c,
          sessionId: m.session_id,
          storeId: event.storeId,
          scanSeq: m.scan_seq,
          action: m.action,
          barcode: m.barcode,
          symbology: m.symbology,
          sku: m.sku ?? null,
          quantity: m.quantity,
          priceCents: m.price_cents ?? null,
          weightDeltaG: m.weight_delta_g,
          expectedWeightG: m.expected_weight_g ?? null,
          weightCheck: m.weight_check,
          readMs: m.read_ms,
          scannedAt: event.deviceTime,
        });
        break;
      case 'session-end': {
        write(device, 'session', c, null);
        const session = sessionPatch(sessions, event, m.session_id);
        // A session ends once; should a device send two ends, the earlier one stands.
        if (session.close !== undefined && (session.status?.counter ?? Infinity) < c) break;
        session.status = { counter: c, value: m.status };
        session.close = {
          endedAt: event.deviceTime,
          itemCount: m.item_count,
          totalCents: m.total_cents,
          currency: m.currency,
          weightMismatches: m.weight_mismatches,
          contents: m.contents,
        };
        const p = m.payment;
        if (p.status === 'not-attempted') payments.delete(m.session_id);
        else {
          payments.set(m.session_id, {
            sessionId: m.session_id,
            deviceId: event.deviceId,
            counter: c,
            method: p.method,
            status: p.status,
            amountCents: p.amount_cents,
            currency: m.currency,
            authReference: p.auth_token ?? null,
            decidedAt: event.deviceTime,
          });
        }
        break;
      }
      case 'command-response':
      case 'job-status':
        // Last seen and last counter only; commands and OTA jobs keep their own records.
        break;
    }
  }
  return {
    storeIds: [...stores].sort(),
    // Sorted so concurrent writers lock rows in one order.
    devices: [...devices.values()].sort((a, b) => compare(a.deviceId, b.deviceId)),
    sessions: [...sessions.values()].sort((a, b) => compare(a.sessionId, b.sessionId)),
    scans: [...scans.values()],
    payments: [...payments.values()],
    healthEvents,
  };
}

const NO_STATUS: DeviceStatus = {
  state: null,
  batteryPct: null,
  batteryMv: null,
  charging: null,
  link: null,
  rssiDbm: null,
};

type RegisterName =
  'status' | 'firmware' | 'maintenance' | 'location' | 'session' | 'fault' | 'hardware' | 'ca';
type RegisterValue<K extends RegisterName> = NonNullable<DevicePatch[K]>['value'];

function write<K extends RegisterName>(
  device: DevicePatch,
  name: K,
  counter: number,
  value: RegisterValue<K>,
): void {
  const current = device[name];
  if (current === undefined || counter > current.counter) {
    (device as Record<RegisterName, Register<unknown> | undefined>)[name] = { counter, value };
  }
}

function devicePatch(devices: Map<string, DevicePatch>, event: IngestedEvent): DevicePatch {
  let device = devices.get(event.deviceId);
  if (!device) {
    device = {
      deviceId: event.deviceId,
      storeId: event.storeId,
      deviceClass: event.deviceClass,
      lastCounter: event.counter,
      lastSeenAt: event.receivedAt,
    };
    devices.set(event.deviceId, device);
  }
  device.lastCounter = Math.max(device.lastCounter, event.counter);
  device.lastSeenAt = Math.max(device.lastSeenAt, event.receivedAt);
  return device;
}

function sessionPatch(
  sessions: Map<string, SessionPatch>,
  event: IngestedEvent,
  sessionId: string,
): SessionPatch {
  let session = sessions.get(sessionId);
  if (!session) {
    session = {
      sessionId,
      deviceId: event.deviceId,
      storeId: event.storeId,
      firstCounter: event.counter,
      startedAt: event.deviceTime,
    };
    sessions.set(sessionId, session);
  }
  // The session belongs to the device that sent its earliest event, whatever the arrival order.
  if (event.counter < session.firstCounter) {
    session.firstCounter = event.counter;
    session.deviceId = event.deviceId;
    session.storeId = event.storeId;
  }
  session.startedAt = Math.min(session.startedAt, event.deviceTime);
  return session;
}

/** Terminal statuses are final; between open ones the newer counter wins. */
function setStatus(session: SessionPatch, counter: number, status: SessionStatus): void {
  const current = session.status;
  if (current === undefined) {
    session.status = { counter, value: status };
    return;
  }
  if (TERMINAL_STATUSES.includes(current.value)) return;
  if (counter > current.counter) session.status = { counter, value: status };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
