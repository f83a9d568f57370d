import type { SessionMerge } from '../entity-store.js';
import type { SqlExecutor } from '../sql/sql-client.js';
import { mergeTransferredSessions } from './merge.js';
import type { DevicePatch, ProjectionPlan, Register } from './plan.js';
import { TERMINAL_STATUSES } from './plan.js';

/**
 * Writes a plan in at most seven statements, whatever the batch size: every statement takes one
 * array parameter per column and expands it with unnest(), so the statement text is constant and
 * there is no limit on rows per statement (Postgres allows 65,535 parameters, not rows).
 */
export async function applyPlan(tx: SqlExecutor, plan: ProjectionPlan): Promise<SessionMerge[]> {
  if (plan.devices.length === 0) return [];
  await tx.query('INSERT INTO stores (store_id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING', [
    plan.storeIds,
  ]);
  // A device the broker admitted is already here; one heard of first through an event (a replay
  // from the dead-letter store, an external broker) gets a row from the event's envelope.
  await tx.query(
    `INSERT INTO devices (device_id, store_id, device_class)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     ON CONFLICT DO NOTHING`,
    [
      plan.devices.map((d) => d.deviceId),
      plan.devices.map((d) => d.storeId),
      plan.devices.map((d) => d.deviceClass),
    ],
  );
  await tx.query(UPDATE_DEVICES, deviceColumns(plan.devices));
  if (plan.sessions.length > 0) await tx.query(UPSERT_SESSIONS, sessionColumns(plan));
  if (plan.scans.length > 0) await tx.query(INSERT_SCANS, scanColumns(plan));
  if (plan.payments.length > 0) await tx.query(INSERT_PAYMENTS, paymentColumns(plan));
  // After the device update, so a fault is counted against the firmware this batch reported.
  if (plan.healthEvents.length > 0) await tx.query(INSERT_HEALTH_EVENTS, healthColumns(plan));
  return mergeTransferredSessions(tx, plan);
}

/** Each register: its counter column and value columns with their SQL types. */
const REGISTERS = {
  status: [
    ['state', 'text'],
    ['battery_pct', 'float8'],
    ['battery_mv', 'int4'],
    ['charging', 'bool'],
    ['link', 'text'],
    ['rssi_dbm', 'int4'],
  ],
  firmware: [['firmware_version', 'text']],
  maintenance: [['maintenance', 'bool']],
  location: [
    ['lat', 'float8'],
    ['lon', 'float8'],
    ['location_accuracy_m', 'float8'],
    ['location_source', 'text'],
    ['location_at', 'timestamptz'],
  ],
  session: [['active_session_id', 'uuid']],
  fault: [
    ['last_fault_code', 'text'],
    ['last_fault_severity', 'text'],
    ['last_fault_at', 'timestamptz'],
  ],
  hardware: [['hardware_rev', 'text']],
  // unnest() flattens a two-dimensional array, so the generations travel as array literals
  // ('{1,2}') and are cast where they are assigned.
  ca: [['ca_generations', 'text', '::int4[]']],
} as const satisfies Record<string, readonly (readonly [string, string, string?])[]>;

type RegisterName = keyof typeof REGISTERS;
const REGISTER_NAMES = Object.keys(REGISTERS) as RegisterName[];

/** Column list of the device update's unnest(), in parameter order. */
const DEVICE_INPUT: (readonly [string, string])[] = [
  ['device_id', 'text'],
  ['last_counter', 'int8'],
  ['last_seen_at', 'timestamptz'],
  ...REGISTER_NAMES.flatMap((r) => [
    [`${r}_counter`, 'int8'] as const,
    ...REGISTERS[r].map(([c, type]) => [c, type] as const),
  ]),
];

/** The SQL cast a register column's value takes on assignment, if any. */
function castOf(column: string): string {
  for (const r of REGISTER_NAMES) {
    for (const def of REGISTERS[r] as readonly (readonly [string, string, string?])[]) {
      if (def[0] === column) return def[2] ?? '';
    }
  }
  return '';
}

// A register is written when the batch's counter for it is newer than the stored one. SET
// expressions all read the row as it was, so comparing with d.<register>_counter is safe even in
// the statement that assigns it.
const UPDATE_DEVICES = `
UPDATE devices d SET
  last_counter = GREATEST(d.last_counter, v.last_counter),
  last_seen_at = GREATEST(d.last_seen_at, v.last_seen_at),
  ${REGISTER_NAMES.flatMap((r) => {
    const newer = `v.${r}_counter > COALESCE(d.${r}_counter, -1)`;
    return [`${r}_counter`, ...REGISTERS[r].map(([c]) => c)].map(
      (c) => `${c} = CASE WHEN ${newer} THEN v.${c}${castOf(c)} ELSE d.${c} END`,
    );
  }).join(',\n  ')},
  updated_at = now()
FROM unnest(${DEVICE_INPUT.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})
  AS v(${DEVICE_INPUT.map(([c]) => c).join(', ')})
WHERE d.device_id = v.device_id`;

function deviceColumns(devices: readonly DevicePatch[]): unknown[][] {
  const registerColumns = (r: RegisterName, pick: (d: DevicePatch) => unknown[]) => [
    devices.map((d) => (d[r] as Register<unknown> | undefined)?.counter ?? null),
    ...REGISTERS[r].map((_, i) => devices.map((d) => (d[r] === undefined ? null : pick(d)[i]))),
  ];
  return [
    devices.map((d) => d.deviceId),
    devices.map((d) => d.lastCounter),
    devices.map((d) => iso(d.lastSeenAt)),
    ...registerColumns('status', (d) => {
      const s = d.status!.value;
      return [s.state, s.batteryPct, s.batteryMv, s.charging, s.link, s.rssiDbm];
    }),
    ...registerColumns('firmware', (d) => [d.firmware!.value]),
    ...registerColumns('maintenance', (d) => [d.maintenance!.value]),
    ...registerColumns('location', (d) => {
      const l = d.location!.value;
      return [l.lat, l.lon, l.accuracyM, l.source, iso(l.at)];
    }),
    ...registerColumns('session', (d) => [d.session!.value]),
    ...registerColumns('fault', (d) => {
      const f = d.fault!.value;
      return [f.code, f.severity, iso(f.at)];
    }),
    ...registerColumns('hardware', (d) => [d.hardware!.value]),
    ...registerColumns('ca', (d) => [`{${d.ca!.value.join(',')}}`]),
  ];
}

const TERMINAL = `(${TERMINAL_STATUSES.map((s) => `'${s}'`).join(', ')})`;

// Terminal statuses are final; between open ones the newer counter wins. A row made from a scan
// or an identify before its session-start arrived carries no status counter and changes no status.
// Most sessions of a batch are only named by scans: the WHERE skips rewriting those rows.
// The customer ref is drawn once, when the session is first seen identified; a replay keeps it.
const UPSERT_SESSIONS = `
INSERT INTO sessions AS s (session_id, device_id, store_id, status, status_counter, started_at,
  ended_at, item_count, total_cents, currency, weight_mismatches, contents,
  identify_method, identified_at, identify_counter, customer_ref)
SELECT v.*, CASE WHEN v.identify_counter IS NULL THEN NULL ELSE gen_random_uuid() END
FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int8[],
  $6::timestamptz[], $7::timestamptz[], $8::int4[], $9::int8[], $10::text[], $11::int4[],
  $12::jsonb[], $13::text[], $14::timestamptz[], $15::int8[])
  AS v(session_id, device_id, store_id, status, status_counter, started_at, ended_at, item_count,
    total_cents, currency, weight_mismatches, contents, identify_method, identified_at,
    identify_counter)
ON CONFLICT (session_id) DO UPDATE SET
  started_at = LEAST(s.started_at, EXCLUDED.started_at),
  status = CASE
    WHEN s.status IN ${TERMINAL} THEN s.status
    WHEN EXCLUDED.status IN ${TERMINAL} AND EXCLUDED.status_counter IS NOT NULL THEN EXCLUDED.status
    WHEN EXCLUDED.status_counter > COALESCE(s.status_counter, -1) THEN EXCLUDED.status
    ELSE s.status END,
  status_counter = CASE
    WHEN s.status IN ${TERMINAL} THEN s.status_counter
    WHEN EXCLUDED.status IN ${TERMINAL} AND EXCLUDED.status_counter IS NOT NULL THEN EXCLUDED.status_counter
    WHEN EXCLUDED.status_counter > COALESCE(s.status_counter, -1) THEN EXCLUDED.status_counter
    ELSE s.status_counter END,
  ended_at = COALESCE(s.ended_at, EXCLUDED.ended_at),
  item_count = COALESCE(s.item_count, EXCLUDED.item_count),
  total_cents = COALESCE(s.total_cents, EXCLUDED.total_cents),
  currency = COALESCE(s.currency, EXCLUDED.currency),
  weight_mismatches = COALESCE(s.weight_mismatches, EXCLUDED.weight_mismatches),
  contents = COALESCE(s.contents, EXCLUDED.contents),
  identify_method = CASE WHEN EXCLUDED.identify_counter > COALESCE(s.identify_counter, -1)
    THEN EXCLUDED.identify_method ELSE s.identify_method END,
  identified_at = CASE WHEN EXCLUDED.identify_counter > COALESCE(s.identify_counter, -1)
    THEN EXCLUDED.identified_at ELSE s.identified_at END,
  identify_counter = GREATEST(s.identify_counter, EXCLUDED.identify_counter),
  customer_ref = COALESCE(s.customer_ref, EXCLUDED.customer_ref),
  updated_at = now()
WHERE EXCLUDED.started_at < s.started_at
  OR (EXCLUDED.status_counter IS NOT NULL AND s.status NOT IN ${TERMINAL}
      AND (EXCLUDED.status IN ${TERMINAL} OR EXCLUDED.status_counter > COALESCE(s.status_counter, -1)))
  OR (EXCLUDED.ended_at IS NOT NULL AND s.ended_at IS NULL)
  OR EXCLUDED.identify_counter > COALESCE(s.identify_counter, -1)
  OR (s.customer_ref IS NULL AND EXCLUDED.customer_ref IS NOT NULL)`;

function sessionColumns(plan: ProjectionPlan): unknown[][] {
  const s = plan.sessions;
  return [
    s.map((x) => x.sessionId),
    s.map((x) => x.deviceId),
    s.map((x) => x.storeId),
    s.map((x) => x.status?.value ?? 'active'),
    s.map((x) => x.status?.counter ?? null),
    s.map((x) => iso(x.startedAt)),
    s.map((x) => (x.close ? iso(x.close.endedAt) : null)),
    s.map((x) => x.close?.itemCount ?? null),
    s.map((x) => x.close?.totalCents ?? null),
    s.map((x) => x.close?.currency ?? null),
    s.map((x) => x.close?.weightMismatches ?? null),
    s.map((x) => (x.close ? JSON.stringify(x.close.contents) : null)),
    s.map((x) => x.identify?.value.method ?? null),
    s.map((x) => (x.identify ? iso(x.identify.value.at) : null)),
    s.map((x) => x.identify?.counter ?? null),
  ];
}

// Only rows inserted now reach the running totals, so a replayed scan adds nothing twice.
const INSERT_SCANS = `
WITH inserted AS (
  INSERT INTO scans (device_id, counter, session_id, store_id, scan_seq, action, barcode,
    symbology, sku, quantity, price_cents, weight_delta_g, expected_weight_g, weight_check,
    read_ms, scanned_at)
  SELECT * FROM unnest($1::text[], $2::int8[], $3::uuid[], $4::text[], $5::int4[], $6::text[],
    $7::text[], $8::text[], $9::text[], $10::int4[], $11::int4[], $12::int4[], $13::int4[],
    $14::text[], $15::int4[], $16::timestamptz[])
  ON CONFLICT DO NOTHING
  RETURNING session_id, action, quantity, price_cents, weight_check
), totals AS (
  SELECT session_id,
    count(*) AS scans,
    sum(CASE WHEN action = 'add' THEN 1 ELSE -1 END * quantity * COALESCE(price_cents, 0)) AS delta,
    count(*) FILTER (WHERE weight_check = 'mismatch') AS mismatches
  FROM inserted GROUP BY session_id
)
UPDATE sessions s SET
  scan_count = s.scan_count + t.scans,
  subtotal_cents = s.subtotal_cents + t.delta,
  scan_mismatches = s.scan_mismatches + t.mismatches
FROM totals t WHERE s.session_id = t.session_id`;

function scanColumns(plan: ProjectionPlan): unknown[][] {
  const s = plan.scans;
  return [
    s.map((x) => x.deviceId),
    s.map((x) => x.counter),
    s.map((x) => x.sessionId),
    s.map((x) => x.storeId),
    s.map((x) => x.scanSeq),
    s.map((x) => x.action),
    s.map((x) => x.barcode),
    s.map((x) => x.symbology),
    s.map((x) => x.sku),
    s.map((x) => x.quantity),
    s.map((x) => x.priceCents),
    s.map((x) => x.weightDeltaG),
    s.map((x) => x.expectedWeightG),
    s.map((x) => x.weightCheck),
    s.map((x) => x.readMs),
    s.map((x) => iso(x.scannedAt)),
  ];
}

const INSERT_PAYMENTS = `
INSERT INTO payments (session_id, device_id, counter, method, status, amount_cents, currency,
  auth_reference, decided_at)
SELECT * FROM unnest($1::uuid[], $2::text[], $3::int8[], $4::text[], $5::text[], $6::int8[],
  $7::text[], $8::text[], $9::timestamptz[])
ON CONFLICT (session_id) DO NOTHING`;

function paymentColumns(plan: ProjectionPlan): unknown[][] {
  const p = plan.payments;
  return [
    p.map((x) => x.sessionId),
    p.map((x) => x.deviceId),
    p.map((x) => x.counter),
    p.map((x) => x.method),
    p.map((x) => x.status),
    p.map((x) => x.amountCents),
    p.map((x) => x.currency),
    p.map((x) => x.authReference),
    p.map((x) => iso(x.decidedAt)),
  ];
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

// The version is the one the event names, or the device's firmware as just updated. Keyed by the
// event, so a replay inserts nothing.
const INSERT_HEALTH_EVENTS = `
INSERT INTO ota_health_events (device_id, counter, kind, firmware_version, at)
SELECT v.device_id, v.counter, v.kind, COALESCE(v.version, d.firmware_version), v.at
FROM unnest($1::text[], $2::int8[], $3::text[], $4::text[], $5::timestamptz[])
  AS v(device_id, counter, kind, version, at)
JOIN devices d ON d.device_id = v.device_id
WHERE COALESCE(v.version, d.firmware_version) IS NOT NULL
ON CONFLICT DO NOTHING`;

function healthColumns(plan: ProjectionPlan): unknown[][] {
  const h = plan.healthEvents;
  return [
    h.map((x) => x.deviceId),
    h.map((x) => x.counter),
    h.map((x) => x.kind),
    h.map((x) => x.version),
    h.map((x) => iso(x.at)),
  ];
}
