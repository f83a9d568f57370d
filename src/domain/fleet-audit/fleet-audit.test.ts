import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeviceRecord } from '../../edge/identity/index.js';
import { auditFleet, type AuditInput, type AuditedGeneration } from './fleet-audit.js';

const NOW = new Date('2026-12-06T12:00:00.000Z');
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

function device(
  serial: string,
  over: Partial<DeviceRecord> = {},
  cert: Record<string, unknown> = {},
): DeviceRecord {
  return {
    serial,
    store: 'store-1',
    class: 'cart',
    status: 'active',
    how: 'provisioned',
    registered_at: iso(NOW.getTime() - 90 * DAY),
    certificate: {
      serial_hex: `${serial}-cert`,
      fingerprint256: `fp-${serial}`,
      public_key: `key-${serial}`,
      generation: 2,
      not_before: iso(NOW.getTime() - 90 * DAY),
      not_after: iso(NOW.getTime() + 300 * DAY),
      pem: '',
      ...cert,
    },
    previous_certificates: [],
    revision: 1,
    ...over,
  } as DeviceRecord;
}

const generation = (n: number, over: Partial<AuditedGeneration> = {}): AuditedGeneration => ({
  generation: n,
  issues: true,
  trusted: true,
  trustedUntil: new Date(NOW.getTime() + 900 * DAY),
  rotateSoon: false,
  issuingNotAfter: new Date(NOW.getTime() + 1800 * DAY),
  ...over,
});

function input(over: Partial<AuditInput>): AuditInput {
  return {
    now: NOW,
    devices: [],
    lastSeen: new Map(),
    connected: new Set(),
    refusals: [],
    refusalWindowMs: 3_600_000,
    generations: [generation(2)],
    refusalsSince: new Date(NOW.getTime() - DAY),
    ...over,
  };
}

const checksOf = (r: ReturnType<typeof auditFleet>) =>
  r.findings.map((f) => `${f.check}:${f.subject}`);

describe('the fleet security audit', () => {
  it('finds nothing to do in a healthy fleet', () => {
    const devices = [device('C1'), device('C2')];
    const report = auditFleet(
      input({
        devices,
        lastSeen: new Map([
          ['C1', iso(0)],
          ['C2', iso(0)],
        ]),
      }),
    );
    assert.deepEqual(report.findings, []);
    assert.equal(report.needsAction, false);
    assert.equal(report.devicesAudited, 2);
  });

  it('names certificates expiring within 30 days and those already expired, active devices only', () => {
    const devices = [
      device('SOON', {}, { not_after: iso(NOW.getTime() + 10 * DAY) }),
      device('LATER', {}, { not_after: iso(NOW.getTime() + 31 * DAY) }),
      device('GONE', {}, { not_after: iso(NOW.getTime() - DAY) }),
      device(
        'REVOKED',
        { status: 'revoked', revoked_at: iso(0) },
        { not_after: iso(NOW.getTime() + DAY) },
      ),
    ];
    const seen = new Map(devices.map((d) => [d.serial as string, iso(0)]));
    const report = auditFleet(input({ devices, lastSeen: seen }));
    assert.deepEqual(checksOf(report), ['certificate-expiring:SOON', 'certificate-expired:GONE']);
    assert.match(report.findings[0]!.detail, /in 10 d/);
    assert.equal(report.needsAction, true);
  });

  it('finds one key or one certificate on two devices, including a renewed-away certificate', () => {
    const devices = [
      device('A', {}, { public_key: 'K' }),
      device('B', {}, { public_key: 'K' }),
      device('C', {
        previous_certificates: [{ ...device('D').certificate }],
      }),
      device('D'),
    ];
    const seen = new Map(devices.map((d) => [d.serial as string, iso(0)]));
    const report = auditFleet(input({ devices, lastSeen: seen }));
    const shared = report.findings.filter((f) => f.check.startsWith('shared-'));
    assert.deepEqual(
      shared.map((f) => [f.check, f.devices]),
      [
        ['shared-key', ['A', 'B']],
        ['shared-key', ['C', 'D']],
        ['shared-certificate', ['C', 'D']],
      ],
    );
  });

  it('lists devices registered over a day ago that never connected, as a notice', () => {
    const devices = [
      device('BOXED'),
      device('FRESH', { registered_at: iso(NOW.getTime() - 3_600_000) }),
      device('ONLINE'),
      device('SEEN'),
    ];
    const report = auditFleet(
      input({ devices, connected: new Set(['ONLINE']), lastSeen: new Map([['SEEN', iso(0)]]) }),
    );
    assert.deepEqual(checksOf(report), ['never-connected:BOXED']);
    assert.equal(report.needsAction, false);
  });

  it('flags a revoked device refused after its revocation, and a store whose refusals spike', () => {
    const revokedAt = NOW.getTime() - 2 * 3_600_000;
    const devices = [
      device('STOLEN', {
        status: 'revoked',
        revoked_at: iso(revokedAt),
        revocation_reason: 'keyCompromise',
      }),
      device('OLD', { status: 'revoked', revoked_at: iso(revokedAt) }),
      device('X', { store: 'store-2' as DeviceRecord['store'] }),
    ];
    const recent = (n: number) => Array.from({ length: n }, (_, i) => NOW.getTime() - i * 1000);
    const report = auditFleet(
      input({
        devices,
        lastSeen: new Map([['X', iso(0)]]),
        refusals: [
          {
            deviceId: 'STOLEN',
            count: 3,
            firstAt: revokedAt - 10,
            lastAt: NOW.getTime(),
            reasons: { revoked: 3 },
            recent: recent(3),
          },
          {
            deviceId: 'OLD',
            count: 1,
            firstAt: revokedAt - 10,
            lastAt: revokedAt - 10,
            reasons: { refused: 1 },
            recent: [],
          },
          {
            deviceId: 'X',
            count: 25,
            firstAt: 0,
            lastAt: NOW.getTime(),
            reasons: { ERR: 25 },
            recent: recent(25),
          },
          { count: 5, firstAt: 0, lastAt: NOW.getTime(), reasons: { ERR: 5 }, recent: recent(5) },
        ],
      }),
    );
    assert.deepEqual(checksOf(report), [
      'revoked-still-attempting:STOLEN',
      'auth-failure-spike:store-2',
    ]);
    assert.match(report.findings[0]!.detail, /keyCompromise.*3 refused/);
  });

  it('asks to end trust in a generation no active device uses, and to rotate a CA near its end', () => {
    const devices = [device('ON3', {}, { generation: 3 }), device('ON1', {}, { generation: 1 })];
    const report = auditFleet(
      input({
        devices,
        lastSeen: new Map([
          ['ON3', iso(0)],
          ['ON1', iso(0)],
        ]),
        generations: [
          generation(1, { issues: false }),
          generation(2, { issues: false }),
          generation(3, { rotateSoon: true }),
          generation(0, { issues: false, trusted: false }),
        ],
      }),
    );
    assert.deepEqual(
      report.findings.map((f) => [f.check, f.subject, f.severity]),
      [
        ['ca-generation-trusted', 'generation 1', 'notice'],
        ['ca-generation-trusted', 'generation 2', 'action'],
        ['ca-rotate-soon', 'generation 3', 'action'],
      ],
    );
    assert.equal(report.counts['ca-generation-trusted'], 2);
  });
});
