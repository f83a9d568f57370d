import type { CloudDocumentType, DeviceMessageType } from './catalog.js';
import type { DeviceMessage } from './messages/index.js';

/**
 * One valid example of every document type. Tests start from these, docs/protocol.md shows them,
 * and they are published beside the schemas for firmware teams.
 */
const device = {
  schema_version: 1,
  device_id: 'CART-00042',
  ts: '2026-11-23T09:15:02.123Z',
} as const;
const session_id = '6f1c2a9e-3b7d-4c1e-9a2f-5d8e7b6c4a31';

export const DEVICE_EXAMPLES: { [T in DeviceMessageType]: Extract<DeviceMessage, { type: T }> } = {
  scan: {
    ...device,
    type: 'scan',
    counter: 1043,
    session_id,
    scan_seq: 7,
    action: 'add',
    barcode: '4006381333931',
    symbology: 'ean-13',
    sku: 'SKU-1029',
    quantity: 1,
    price_cents: 249,
    weight_delta_g: 512,
    expected_weight_g: 500,
    weight_check: 'match',
    read_ms: 310,
  },
  'session-start': {
    ...device,
    type: 'session-start',
    counter: 1036,
    session_id,
    reason: 'new',
    battery_pct: 81,
  },
  'session-end': {
    ...device,
    type: 'session-end',
    counter: 1090,
    session_id,
    status: 'complete',
    item_count: 2,
    total_cents: 747,
    currency: 'EUR',
    contents: [
      { barcode: '4006381333931', sku: 'SKU-1029', quantity: 1, price_cents: 249 },
      { barcode: '5449000000996', sku: 'SKU-2210', quantity: 2, price_cents: 249 },
    ],
    weight_mismatches: 0,
    payment: {
      method: 'store-terminal',
      status: 'authorized',
      auth_token: 'auth_7Hq2LmX9pR4t',
      amount_cents: 747,
    },
  },
  identify: {
    ...device,
    type: 'identify',
    counter: 1040,
    session_id,
    method: 'loyalty',
    credential: {
      alg: 'x25519-hkdf-sha256-a256gcm',
      kid: 'seal-2026-11',
      epk: 'q8vJ0xkOe3zq0Rj8hY7fW1mV2pL6nT4sA9bC5dE0fGh',
      iv: 'Xb7rT2mQ9kLp4vNz',
      ct: 'R2d8fK1pQ7sW3xZ0vB6nM4jH',
      tag: 'a1B2c3D4e5F6g7H8i9J0kA',
    },
  },
  health: {
    ...device,
    type: 'health',
    counter: 1041,
    state: 'active',
    session_id,
    battery_pct: 80.5,
    battery_mv: 7720,
    charging: false,
    link: 'wifi',
    rssi_dbm: -61,
    scanner_temp_c: 31.5,
    weight_drift_g: 3.2,
    firmware_version: '2.4.1',
    uptime_s: 18230,
    buffered: 0,
    location: { lat: 52.52, lon: 13.405, accuracy_m: 8, source: 'indoor' },
  },
  fault: {
    ...device,
    type: 'fault',
    counter: 1050,
    code: 'scanner-jam',
    severity: 'warning',
    session_id,
    detail: 'trigger-stuck',
  },
  boot: {
    ...device,
    type: 'boot',
    counter: 1000,
    firmware_version: '2.4.1',
    slot: 'B',
    rolled_back: false,
    previous_version: '2.4.0',
    reset_reason: 'ota',
    hardware_rev: 'revB',
    boot_count: 37,
    ca_generations: [1, 2],
  },
  'coldchain-telemetry': {
    schema_version: 1,
    device_id: 'CC-7781',
    type: 'coldchain-telemetry',
    counter: 88211,
    ts: '2026-11-23T09:15:00.000Z',
    temperature_c: 3.4,
    humidity_pct: 67,
    shock_g: 0.02,
    battery_pct: 94,
    door_open: false,
    shipment_id: 'SHP-2026-11-0042',
  },
  'tool-telemetry': {
    schema_version: 1,
    device_id: 'TOOL-5501',
    type: 'tool-telemetry',
    counter: 501,
    ts: '2026-11-23T09:15:00.000Z',
    mode: 'torque',
    torque_nm: 42.5,
    rpm: 1200,
    usage_minutes: 14.5,
    battery_pct: 71,
    motor_temp_c: 48,
    job_site_id: 'SITE-118',
  },
  'command-response': {
    ...device,
    type: 'command-response',
    counter: 1100,
    command_id: '0b8e4f0c-8f0e-4d55-9a0b-6a1f2b3c4d5e',
    status: 'succeeded',
    duplicate: false,
  },
  'shadow-report': {
    ...device,
    type: 'shadow-report',
    counter: 1101,
    desired_version: 4,
    reported: { maintenance_mode: false, health_interval_s: 60, firmware_version: '2.4.1' },
  },
  'job-status': {
    ...device,
    type: 'job-status',
    counter: 1102,
    job_id: '9d1f6c1e-2b4a-4f7e-8c3d-1e2f3a4b5c6d',
    target_version: '2.5.0',
    status: 'downloading',
  },
};

export const CLOUD_EXAMPLES: { [T in CloudDocumentType]: Record<string, unknown> } = {
  error: {
    schema_version: 1,
    device_id: 'CART-00042',
    type: 'error',
    ts: '2026-11-23T09:15:02.480Z',
    reason: 'schema',
    counter: 1043,
    message_type: 'scan',
    detail: 'scan: /quantity must be <= 99',
  },
  command: {
    schema_version: 1,
    device_id: 'CART-00042',
    type: 'command',
    ts: '2026-11-23T09:20:00.000Z',
    command_id: '0b8e4f0c-8f0e-4d55-9a0b-6a1f2b3c4d5e',
    name: 'pause-session',
    expires_at: '2026-11-23T09:22:00.000Z',
    args: { session_id, reason: 'staff-assist' },
  },
  'shadow-desired': {
    schema_version: 1,
    device_id: 'CART-00042',
    type: 'shadow-desired',
    ts: '2026-11-23T09:20:00.000Z',
    version: 4,
    desired: { maintenance_mode: false, health_interval_s: 60 },
  },
  'ota-job': {
    schema_version: 1,
    device_id: 'CART-00042',
    type: 'ota-job',
    ts: '2026-11-23T09:20:00.000Z',
    job_id: '9d1f6c1e-2b4a-4f7e-8c3d-1e2f3a4b5c6d',
    rollout_id: '3c2b1a0f-9e8d-4c7b-a6f5-e4d3c2b1a090',
    manifest: {
      signed: 'eyJ2ZXJzaW9uIjoiMi41LjAifQ==',
      signature: 'A'.repeat(86) + '==',
    },
    url: 'https://fleet.example/v1/ota/images/2.5.0?sig=abc&exp=1795000000',
    url_expires_at: '2026-11-23T09:35:00.000Z',
  },
};

export const OTA_MANIFEST_EXAMPLE = {
  version: '2.5.0',
  device_class: 'cart',
  hardware_revisions: ['revB', 'revC'],
  size: 1835008,
  sha256: 'a3f1c9e2b7d4058e6f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70',
  issued_at: '2026-11-20T00:00:00.000Z',
  expires_at: '2027-05-20T00:00:00.000Z',
  min_version: '2.3.0',
  ca_generation: 2,
};

export const CATALOG_EXAMPLE = {
  schema_version: 1,
  type: 'catalog',
  store_id: 'berlin-1',
  version: 'c-2026-11-23-0915-a3f1c9e2',
  generated_at: '2026-11-23T09:15:00.000Z',
  items: [
    {
      sku: 'SKU-1029',
      barcode: '4006381333931',
      name: 'Bananas 1 kg',
      price_cents: 249,
      weight_g: 1000,
    },
    {
      sku: 'SKU-2210',
      barcode: '5449000000996',
      name: 'Cola 0.5 l',
      price_cents: 129,
      weight_g: 540,
    },
  ],
};

/** How the cloud answers an identify after a battery swap (see command-request.ts). */
export const ATTACH_CUSTOMER_EXAMPLE = {
  schema_version: 1,
  device_id: 'CART-00043',
  type: 'command',
  ts: '2026-11-23T09:31:00.000Z',
  command_id: '5d0c7e3a-1b2c-4d3e-8f40-5a6b7c8d9e0f',
  name: 'attach-customer',
  expires_at: '2026-11-23T09:36:00.000Z',
  args: {
    session_id: 'e0c7a1d2-3b4c-4d5e-9f60-718293a4b5c6',
    customer_id: '7f3e2d1c-0b9a-4876-a543-210fedcba987',
    first_name: 'Zoë',
    from_session_id: '1c9b3f0e-7a2d-4e8f-b1c6-5d4a3b2c1e0f',
    carried_lines: [{ barcode: '4006381333931', sku: 'SKU-1029', quantity: 2, price_cents: 249 }],
  },
};

export const SEAL_KEY_EXAMPLE = {
  schema_version: 1,
  type: 'seal-key',
  kid: 'seal-2026-11',
  alg: 'x25519-hkdf-sha256-a256gcm',
  public_key: 'hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo',
};

export const CHECKOUT_RESULT_EXAMPLE = {
  schema_version: 1,
  type: 'checkout-result',
  session_id: 'e0c7a1d2-3b4c-4d5e-9f60-718293a4b5c6',
  counter: 1052,
  outcome: 'paid',
  paid_cents: 747,
  receipt_id: 'rcpt_0f9e8d7c6b5a49382716051f4e3d2c1b',
  reconciled_at: '2026-11-23T09:41:00.412Z',
};

export const PROXIMITY_PROOF_EXAMPLE = {
  schema_version: 1,
  type: 'proximity',
  device_id: 'CART-00043',
  nonce: 'c2VjcmV0LW5vbmNlLTEyMw',
  issued_at: '2026-11-23T09:40:00.000Z',
  expires_at: '2026-11-23T09:41:00.000Z',
};

export const SERVER_TIME_EXAMPLE = {
  schema_version: 1,
  type: 'server-time',
  nonce: 'b3RhLWNoYWxsZW5nZS0wMDE',
  server_time: '2026-11-23T09:42:00.118Z',
};
