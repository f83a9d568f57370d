import { randomBytes } from 'node:crypto';
import { buildReceipt, ReceiptSigner } from '../../src/checkout/receipts.js';

/** Canned API answers in the shapes the routes (and decision 023's new ones) answer with. */
export type Role = 'ops' | 'staff' | 'customer';

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

const NOW = Date.now();
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const json = (body: unknown, status = 200): Answer => ({
  status,
  contentType: 'application/json',
  body: JSON.stringify(body),
});

const SESSION_ID = '6f1c2b7e-9a4d-4c1e-8b2a-3d5e7f9a1b2c';
const STORE = 'store-1';

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

const CARTS = [
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

const SCANS = [
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

const ALERTS = [
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

function rollout() {
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

function history(window: string) {
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

const signer = ReceiptSigner.fromSeed(randomBytes(32));
const RECEIPT = signer.sign(
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

const SESSIONS: Record<Role, unknown> = {
  ops: {
    role: 'ops',
    name: 'Olu Ops',
    personId: 'p-ops',
    subject: 'p-ops',
    store: null,
    csrfToken: 'csrf',
  },
  staff: {
    role: 'staff',
    name: 'Anna Staff',
    personId: 'p-staff',
    subject: 'p-staff',
    store: STORE,
    csrfToken: 'csrf',
  },
  customer: {
    role: 'customer',
    name: null,
    personId: 'p-cust',
    subject: '9b2f8c1e-7d4a-4e6b-8a3c-2f1e0d9c8b7a',
    store: null,
    csrfToken: 'csrf',
  },
};

export async function fixtureAnswer(
  role: Role | null,
  method: string,
  url: URL,
  variant?: 'idle',
): Promise<Answer | null> {
  const p = url.pathname;
  if (p === '/openapi.json') return json(await openApi());
  if (!p.startsWith('/v1/')) return null;
  if (p === '/v1/auth/session')
    return role
      ? json(SESSIONS[role])
      : json({ error: 'unauthenticated', message: 'not signed in' }, 401);
  if (p === '/v1/stream')
    return { status: 200, contentType: 'text/event-stream', body: ': connected\n\n' };
  if (p === '/v1/stores')
    return json({
      stores: [
        { storeId: STORE, name: 'Berlin Mitte', region: 'eu' },
        { storeId: 'store-2', name: 'Austin', region: 'us' },
      ],
    });
  if (p === `/v1/stores/${STORE}/carts`) return json({ storeId: STORE, carts: CARTS });
  if (p === `/v1/stores/${STORE}/fleet-status`)
    return json({
      storeId: STORE,
      carts: 6,
      connected: 5,
      byState: { idle: 4, 'in-use': 1 },
      battery: { below20: 1 },
      weakSignal: 1,
      maintenance: { total: 1, byReason: { cleaning: 1 } },
    });
  if (p === `/v1/stores/${STORE}/loss-prevention`) return json({ alerts: ALERTS, next: null });
  if (p === `/v1/sessions/${SESSION_ID}`)
    return json({
      sessionId: SESSION_ID,
      deviceId: 'CART-0002',
      storeId: STORE,
      accountId: null,
      status: 'active',
      startedAt: ago(360_000),
      scanCount: 3,
      subtotalCents: 906,
      scanMismatches: 1,
      currency: 'EUR',
      mergedFrom: [],
    });
  if (p === `/v1/sessions/${SESSION_ID}/scans`) return json({ scans: SCANS });
  if (p === '/v1/fleet/summary')
    return json({
      carts: 212,
      connected: 198,
      stores: 4,
      byState: { idle: 150, 'in-use': 40, charging: 12, fault: 2 },
      byRegion: { eu: 120, us: 92 },
      firmware: [
        { version: '1.4.2', carts: 190 },
        { version: '1.5.0', carts: 10 },
        { version: '1.4.1', carts: 12 },
      ],
      batteryHealth: { good: 180, low: 20, critical: 4, charging: 8 },
    });
  if (p === '/v1/carts') return json({ carts: CARTS, next: null });
  if (p === '/v1/metrics/history') return json(history(url.searchParams.get('window') ?? '1h'));
  if (p === '/v1/ota/rollouts') return json({ rollouts: [rollout()] });
  if (p === '/v1/devices/CART-0002/shadow')
    return json({
      deviceId: 'CART-0002',
      desired: { maintenance_mode: false, telemetry_interval_s: 60 },
      desiredVersion: 3,
      reported: { maintenance_mode: false, telemetry_interval_s: 60 },
      reportedDesiredVersion: 3,
      reportedAt: ago(40_000),
      delta: {},
      inSync: true,
    });
  if (p === '/v1/devices/CART-0002/commands')
    return json({
      commands: [
        {
          commandId: 'c1',
          deviceId: 'CART-0002',
          name: 'ping',
          requestedBy: 'person:ops-1',
          status: 'succeeded',
          code: null,
          attempts: 1,
          sentAt: ago(100_000),
          expiresAt: ago(70_000),
          respondedAt: ago(99_800),
          responseMs: 200,
        },
      ],
    });
  if (p === '/v1/carts/CART-0002/audit')
    return json({
      deviceId: 'CART-0002',
      auditConfigured: true,
      next: null,
      entries: [
        {
          at: ago(200_000),
          source: 'audit',
          ref: 41,
          actor: { role: 'staff', subject: 'person:p-staff' },
          action: 'staff-override',
          purpose: 'pause session at the cart',
          detail: { command: 'pause-session' },
        },
        {
          at: ago(500_000),
          source: 'fault',
          ref: 88,
          actor: null,
          action: 'weight-sensor-drift',
          purpose: null,
          detail: { severity: 'warning' },
        },
      ],
    });
  if (p === '/v1/dead-letters')
    return json({
      total: 1,
      deadLetters: [
        {
          id: 1,
          deviceId: 'CART-0004',
          type: 'scan',
          counter: 812,
          seq: 9912,
          error: 'session not found',
          attempts: 5,
          firstFailedAt: ago(800_000),
          lastFailedAt: ago(700_000),
        },
      ],
    });
  if (p === '/v1/billing')
    return json({
      month: url.searchParams.get('month'),
      days: 30,
      configured: {
        pricePerCartMonthCents: 1500,
        currency: 'EUR',
        perMillionMessagesCents: 100,
        perGbMonthCents: 2.3,
      },
      stores: [
        {
          storeId: STORE,
          measured: {
            carts: 6,
            cartDays: 120,
            cartMonths: 4,
            messages: 812000,
            storedBytes: 91_000_000,
          },
          invoice: { lines: [], totalCents: 6000, currency: 'EUR' },
          cloudCost: {
            messagesCents: 81,
            storageCents: 0.2,
            totalCents: 81.2,
            perCartCents: 13.5,
            perCartMonthCents: 20.3,
          },
        },
      ],
      totals: {
        carts: 6,
        cartMonths: 4,
        messages: 812000,
        storedBytes: 91_000_000,
        invoiceCents: 6000,
        cloudCostCents: 81.2,
      },
    });
  if (p === '/v1/compliance')
    return json({
      generatedAt: new Date(NOW).toISOString(),
      piiAccess: {
        configured: true,
        since: ago(30 * 86_400_000),
        total: 14,
        byAction: { decrypt: 12, 'staff-override': 2 },
        byPurpose: [
          { action: 'decrypt', purpose: 'customer app: own cards', count: 12 },
          { action: 'staff-override', purpose: 'pause session at the cart', count: 2 },
        ],
      },
      auditChain: { configured: true, ok: true, records: 214, headHash: 'f3a1…9c' },
      dataSubjectRequests: { source: 'provider', open: [] },
      residency: { source: 'none', note: 'no residency provider is configured', report: null },
    });
  if (p === '/v1/me/sessions' && variant === 'idle') return json({ sessions: [] });
  if (p === '/v1/me/sessions')
    return json({
      sessions: [
        {
          receipt_id: null,
          session_id: 'a'.repeat(8) + '-1111-4111-8111-' + 'b'.repeat(12),
          store_id: STORE,
          status: 'active',
          started_at: ago(300_000),
          ended_at: null,
          item_count: 4,
          total_cents: 1137,
          currency: 'EUR',
          paid: false,
        },
        {
          receipt_id: RECEIPT.receipt.receipt_id,
          session_id: SESSION_ID,
          store_id: STORE,
          status: 'complete',
          started_at: ago(86_500_000),
          ended_at: ago(86_400_000),
          item_count: 3,
          total_cents: 507,
          currency: 'EUR',
          paid: true,
        },
      ],
    });
  if (p.startsWith('/v1/me/lists/')) return json({ skus: ['SKU-1029', 'SKU-2210'] });
  if (p === '/v1/me/cards')
    return json({
      loyalty_cards: [{ last4: '4821' }],
      payment_methods: [{ method_ref: 'pm_tok_8f2a91c0', added_at: ago(40 * 86_400_000) }],
    });
  if (p.startsWith('/v1/me/receipts/')) return json(RECEIPT);
  if (p === '/v1/receipts/public-key')
    return { status: 200, contentType: 'application/x-pem-file', body: signer.publicKeyPem() };
  if (p === '/v1/me/pairing-code')
    return json({
      code: 'K7QX4M2P',
      qr: 'K7QX4M2P',
      expires_at: new Date(NOW + 300_000).toISOString(),
    });
  return json({ error: 'not-found', message: `no fixture for ${method} ${p}` }, 404);
}

let doc: unknown;
/** The platform's real OpenAPI document, from its routes (no stores behind them). */
async function openApi(): Promise<unknown> {
  if (doc) return doc;
  const { buildApi } = await import('../../src/api/api-server.js');
  const { Registry } = await import('prom-client');
  const app = await buildApi({ version: '0.1.0', metrics: { registry: new Registry() } } as never);
  await app.ready();
  doc = app.swagger();
  await app.close();
  return doc;
}
