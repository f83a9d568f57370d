import { ago, STORE } from './fixture-data.js';

/** Alarms, a fleet diff and top error devices in the shapes decisions 035 and 036 answer with. */

const ALARMS = [
  {
    id: 'alm_01',
    key: 'temperature-excursion:COLD-0007',
    ruleId: 'temperature-excursion',
    severity: 'critical',
    storeId: STORE,
    deviceId: 'COLD-0007',
    state: 'firing',
    firstAt: ago(540_000),
    lastAt: ago(60_000),
    seen: 4,
    reading: { temperature_c: 9.4 },
    acknowledgedBy: null,
    acknowledgedAt: null,
    resolvedBy: null,
    resolvedAt: null,
  },
  {
    id: 'alm_02',
    key: 'battery-low:CART-0004',
    ruleId: 'battery-low',
    severity: 'warning',
    storeId: STORE,
    deviceId: 'CART-0004',
    state: 'acknowledged',
    firstAt: ago(3_600_000),
    lastAt: ago(600_000),
    seen: 1,
    reading: { battery_pct: 12 },
    acknowledgedBy: 'ops:person:p-ops (Olu Ops)',
    acknowledgedAt: ago(1_800_000),
    resolvedBy: null,
    resolvedAt: null,
  },
  {
    id: 'alm_03',
    key: 'silent:CART-0006',
    ruleId: 'silent',
    severity: 'warning',
    storeId: STORE,
    deviceId: 'CART-0006',
    state: 'resolved',
    firstAt: ago(86_400_000),
    lastAt: ago(80_000_000),
    seen: 1,
    reading: { lastSeenAt: ago(86_700_000), silentMinutes: 5 },
    acknowledgedBy: null,
    acknowledgedAt: null,
    resolvedBy: 'rule',
    resolvedAt: ago(80_000_000),
  },
];

function device(id: string, state: string, lastSeenMs: number | null) {
  return {
    deviceId: id,
    deviceClass: 'cart',
    state,
    lastSeenAt: lastSeenMs === null ? null : ago(lastSeenMs),
    registration: 'provisioned',
    registeredAt: ago(30 * 86_400_000),
  };
}

/** The answer for an alarm or fleet-health path, or undefined for any other path. */
export function fleetHealthFixture(p: string, url: URL): unknown {
  if (p === '/v1/alarms') {
    const state = url.searchParams.get('state');
    return { alarms: ALARMS.filter((a) => !state || a.state === state) };
  }
  const alarm = ALARMS.find((a) => p === `/v1/alarms/${a.id}`);
  if (alarm) {
    const history: { at: string; change: string; by: string; reading: object | null }[] = [
      { at: alarm.firstAt, change: 'fired', by: 'rule', reading: alarm.reading },
    ];
    if (alarm.acknowledgedAt) {
      history.push({
        at: alarm.acknowledgedAt,
        change: 'acknowledged',
        by: alarm.acknowledgedBy ?? '',
        reading: null,
      });
    }
    return { alarm, history };
  }
  if (p === `/v1/stores/${STORE}/fleet-diff`) {
    return {
      storeId: STORE,
      seenWithin: url.searchParams.get('seenWithin') ?? '15m',
      asOf: ago(0),
      expected: 8,
      connected: 5,
      recentlySeen: 1,
      silentCount: 1,
      neverSeenCount: 1,
      revokedCount: 1,
      silent: [device('CART-0006', 'silent', 86_700_000)],
      neverSeen: [device('CART-0008', 'never-seen', null)],
      revoked: [
        {
          deviceId: 'CART-0009',
          deviceClass: 'cart',
          revokedAt: ago(7 * 86_400_000),
          lastSeenAt: ago(8 * 86_400_000),
        },
      ],
      truncated: false,
    };
  }
  if (p === '/v1/devices/top-errors') {
    return {
      since: ago(86_400_000),
      devices: [
        {
          deviceId: 'CART-0004',
          storeId: STORE,
          deviceClass: 'cart',
          rejects: 14,
          rejectsByReason: { signature: 11, schema: 3 },
          faults: 2,
          reboots: 1,
          total: 17,
        },
        {
          deviceId: 'CART-0002',
          storeId: STORE,
          deviceClass: 'cart',
          rejects: 2,
          rejectsByReason: { replay: 2 },
          faults: 0,
          reboots: 3,
          total: 5,
        },
      ],
    };
  }
  return undefined;
}
