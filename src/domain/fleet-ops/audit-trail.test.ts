import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MemoryAuditLog } from '../../../test-support/memory-audit-log.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { SqliteTelemetryStore } from '../../stores/telemetry/sqlite-telemetry-store.js';
import { cartTrail, decodeTrailKey, encodeTrailKey, type TrailKey } from './audit-trail.js';

const T = Date.parse('2026-11-23T10:00:00.000Z');

describe("a cart's trail", () => {
  it('pages audit records and device events in one order, ties included, without repeats or gaps', async (t) => {
    const telemetry = new SqliteTelemetryStore(
      join(await tempDir(t, 'trail-'), 'telemetry.sqlite'),
    );
    t.after(() => telemetry.close());
    let clock = T;
    const audit = new MemoryAuditLog(() => new Date(clock));
    const event = (counter: number, at: number, type: 'fault' | 'command-response' | 'health') => ({
      deviceId: 'CART-1',
      storeId: 's',
      deviceClass: 'cart' as const,
      type,
      counter,
      deviceTime: at,
      receivedAt: at,
      body: JSON.stringify(
        type === 'fault'
          ? { counter, type, code: `fault-${counter}`, severity: 'info' }
          : { counter, type, status: 'succeeded', command_id: `c-${counter}` },
      ),
      signature: new Uint8Array(64),
    });
    // Two faults and an audit record in the same millisecond T+2000; a health that is not listed.
    await telemetry.append([
      event(1, T + 1000, 'fault'),
      event(2, T + 2000, 'fault'),
      event(3, T + 2000, 'command-response'),
      event(4, T + 3000, 'health'),
    ]);
    const append = (purpose: string, deviceId = 'CART-1') =>
      audit.append({
        actor: { role: 'staff', subject: 'a' },
        action: 'staff-override',
        purpose,
        deviceId,
      });
    clock = T + 2000;
    await append('same-ms');
    clock = T + 500;
    await append('earliest');
    clock = T + 4000;
    await append('latest');
    await append('other cart', 'CART-2');

    const all = await cartTrail({ audit, telemetry }, 'CART-1', { limit: 50 });
    const label = (e: { source: string; purpose: string | null; ref: number }) =>
      e.source === 'audit' ? `audit:${e.purpose}` : `${e.source}:${e.ref}`;
    const expected = [
      'audit:latest',
      'audit:same-ms',
      'command-response:3',
      'fault:2',
      'fault:1',
      'audit:earliest',
    ];
    assert.deepEqual(all.entries.map(label), expected);
    assert.equal(all.next, null);

    for (const limit of [1, 2, 4]) {
      const seen: string[] = [];
      let after: TrailKey | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const page = await cartTrail({ audit, telemetry }, 'CART-1', {
          limit,
          ...(after ? { after } : {}),
        });
        seen.push(...page.entries.map(label));
        if (!page.next) break;
        after = decodeTrailKey(encodeTrailKey(page.next));
      }
      assert.deepEqual(seen, expected, `pages of ${limit}`);
    }
  });

  it('lists device events alone when there is no audit log, and refuses a foreign cursor', async (t) => {
    const telemetry = new SqliteTelemetryStore(
      join(await tempDir(t, 'trail-'), 'telemetry.sqlite'),
    );
    t.after(() => telemetry.close());
    const page = await cartTrail({ audit: undefined, telemetry }, 'CART-1', { limit: 5 });
    assert.deepEqual(page, { entries: [], next: null });
    assert.equal(decodeTrailKey('bm9wZQ'), undefined);
    assert.equal(decodeTrailKey(Buffer.from('1:2:3').toString('base64url')), undefined);
  });
});
