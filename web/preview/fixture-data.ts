import { randomBytes } from 'node:crypto';
import { buildReceipt, ReceiptSigner } from '../../src/checkout/receipts.js';

/** The store, carts, scans, alerts, rollout, metric history and receipt the preview shows. */
export const NOW = Date.now();
export const ago = (ms: number) => new Date(NOW - ms).toISOString();

export const SESSION_ID = '6f1c2b7e-9a4d-4c1e-8b2a-3d5e7f9a1b2c';
export const STORE = 'store-1';

function cart(n: number, extra: Record<string, unknown> = {}) {
  const id = `CART-${String(n).padStart(4, '0')}`;
  return {
    deviceId: id,
    storeId: STORE,
    region: 'eu',
    state: 'idle',
    connected: true,
    lastSeenAt: ago(n * 20_000),
    batteryPct: 90 - n * 9,
    charging: false,
    link: 'wifi',
    rssiDbm: -55 - n * 6,
    firmwareVersion: n % 3 === 0 ? '1.4.1' : '1.4.2',
    position: {
      lat: 52.52 + (n % 3) * 0.0001,
      lon: 13.405 + n * 0.00012,
      accuracyM: 2,
      source: 'uwb',
      at: ago(30_000),
    },
    maintenance: {
      outOfService: false,
      reason: null,
      note: null,
      setBy: null,
      setAt: null,
      reportedByCart: false,
    },
    activeSessionId: null,
    lastFault: null,
    batteryHealth: 'good',
    ...extra,
  };
}

export const CARTS = [
  cart(1),
  cart(2, { state: 'in-use', activeSessionId: SESSION_ID }),
  cart(3, {
    maintenance: {
      outOfService: true,
      reason: 'cleaning',
      note: null,
      setBy: 'staff:anna',
      setAt: ago(3_600_000),
      reportedByCart: false,
    },
  }),
  cart(4, { batteryPct: 12, batteryHealth: 'low' }),
  cart(5, {
    connected: false,
    lastFault: { code: 'weight-sensor-drift', severity: 'warning', at: ago(600_000) },
  }),
  cart(6, { position: null }),
];

export const SCANS = [
  ['4006381333931', 'SKU-1029', 1, 249, 'match'],
  ['5449000000996', 'SKU-2210', 2, 129, 'match'],
  ['4000417025005', 'SKU-3301', 1, 399, 'mismatch'],
].map(([barcode, sku, quantity, priceCents, weightCheck], i) => ({
  deviceId: 'CART-0002',
  counter: 100 + i,
  scanSeq: i + 1,
  action: 'add',
  barcode,
  sku,
  quantity,
  priceCents,
  weightCheck,
  scannedAt: ago((5 - i) * 60_000),
}));

export const ALERTS = [
  {
    id: 'a1b2c3d4-0000-4000-8000-000000000001',
    kind: 'weight-mismatch',
    state: 'open',
    deviceId: 'CART-0002',
    at: ago(120_000),
    evidence: { barcode: '4000417025005', expectedG: 500, measuredG: 820 },
  },
  {
    id: 'a1b2c3d4-0000-4000-8000-000000000002',
    kind: 'exit-without-pay',
    state: 'acknowledged',
    acknowledgedBy: 'staff:anna',
    deviceId: 'CART-0005',
    at: ago(900_000),
    evidence: { itemCount: 7, totalCents: 3120, paymentStatus: 'none' },
  },
].map((a) => ({ storeId: STORE, sessionId: SESSION_ID, counter: 9, ...a }));

export function rollout() {
  const stage = (
    index: number,
    name: string,
    devices: number,
    on: number,
    back: number,
    sent: number,
  ) => ({
    index,
    name,
    durationMs: 86_400_000,
    cohortSize: devices,
    devices,
    pending: devices - on - back - sent,
    sent,
    onNewVersion: on,
    rolledBack: back,
    failed: 0,
    rejected: 0,
    timedOut: 0,
  });
  const stages = [
    stage(0, 'canary', 10, 9, 1, 0),
    stage(1, 'early', 2, 1, 0, 1),
    stage(2, '10%', 20, 0, 0, 0),
    stage(3, '25%', 30, 0, 0, 0),
    stage(4, '100%', 138, 0, 0, 0),
  ];
  return {
    rolloutId: '0b6f3a52-2c1e-4f5d-9c8b-7a6e5d4c3b2a',
    state: 'running',
    deviceClass: 'cart',
    targetVersion: '1.5.0',
    imageId: 'ab'.repeat(32),
    caGeneration: 1,
    createdAt: ago(30 * 3_600_000),
    createdBy: 'person:ops-1',
    stage: {
      index: 1,
      name: 'early',
      startedAt: ago(6 * 3_600_000),
      endsAt: ago(-66 * 3_600_000),
      remainingMs: 66 * 3_600_000,
    },
    stages,
    totals: {
      devices: 200,
      pending: 188,
      sent: 1,
      onNewVersion: 10,
      rolledBack: 1,
      failed: 0,
      rejected: 0,
      timedOut: 0,
      onNewVersionPct: 5,
      rolledBackPct: 0.5,
      optedOut: 0,
      excluded: { hardware: 0, newer: 0 },
    },
    lastHealth: null,
    haltReason: null,
    haltedHealth: null,
    optOuts: [],
    history: [
      { action: 'create', at: ago(30 * 3_600_000), by: 'person:ops-1', stageIndex: 0 },
      { action: 'advance', at: ago(6 * 3_600_000), by: 'engine', stageIndex: 1 },
    ],
  };
}

export function history(window: string) {
  const minutes = window === '24h' ? 24 * 60 : 60;
  const step = window === '24h' ? 10 : 1;
  const points = [];
  for (let m = minutes; m >= 0; m -= step) {
    const wave = Math.sin(m / 9);
    points.push({
      at: new Date(NOW - m * 60_000).toISOString(),
      messagesPerMinute: Math.round(600 + 120 * wave),
      connectedDevices: 5 - (m % 17 === 0 ? 1 : 0),
      publishToStoredP50Ms: 4 + wave,
      publishToStoredP99Ms: 18 + 6 * wave,
      rejects: { signature: m % 13 === 0 ? 2 : 0, schema: m % 29 === 0 ? 1 : 0 },
    });
  }
  return { window, points };
}

export const signer = ReceiptSigner.fromSeed(randomBytes(32));
export const RECEIPT = signer.sign(
  buildReceipt(
    {
      sessionId: SESSION_ID,
      deviceId: 'CART-0002',
      storeId: STORE,
      counter: 300,
      status: 'complete',
      accountId: '9b2f8c1e-7d4a-4e6b-8a3c-2f1e0d9c8b7a',
      endedAt: ago(86_400_000),
      itemCount: 3,
      totalCents: 507,
      currency: 'EUR',
      contents: [
        { barcode: '4006381333931', sku: 'SKU-1029', quantity: 1, price_cents: 249 },
        { barcode: '5449000000996', sku: 'SKU-2210', quantity: 2, price_cents: 129 },
      ],
      weightMismatches: 0,
      payment: {
        method: 'store-terminal',
        status: 'authorized',
        amountCents: 507,
        authToken: 'auth_x',
      },
    },
    { paidCents: 507, paymentRef: 'pay_0123456789abcdef' },
    NOW - 86_400_000,
  ),
);
