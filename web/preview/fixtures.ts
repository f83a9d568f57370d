import {
  ago,
  ALERTS,
  CARTS,
  history,
  NOW,
  RECEIPT,
  rollout,
  SCANS,
  SESSION_ID,
  signer,
  STORE,
} from './fixture-data.js';
import { fleetHealthFixture } from './fleet-health-fixtures.js';

/** Canned API answers in the shapes the routes (and decision 023's new ones) answer with. */
export type Role = 'ops' | 'staff' | 'customer';

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

const json = (body: unknown, status = 200): Answer => ({
  status,
  contentType: 'application/json',
  body: JSON.stringify(body),
});

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
  const health = fleetHealthFixture(p, url);
  if (health !== undefined) return json(health);
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
  const { buildApi } = await import('../../src/surfaces/api/api-server.js');
  const { Registry } = await import('prom-client');
  const app = await buildApi({ version: '0.1.0', metrics: { registry: new Registry() } } as never);
  await app.ready();
  doc = app.swagger();
  await app.close();
  return doc;
}
