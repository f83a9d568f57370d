import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REJECT_REASON_CODES } from '../../contract/index.js';
import { PUBACK_REASON, pubackVerdict } from './puback-reasons.js';

describe('PUBACK reason codes for ingest outcomes', () => {
  it('accepts stored and duplicate messages', () => {
    for (const status of ['stored', 'duplicate'] as const) {
      assert.equal(pubackVerdict({ status, deviceId: 'CART-0001', counter: 1 }).reasonCode, 0);
    }
  });

  it('answers each reject reason with the code of its class', () => {
    const byCode = new Map<number, string[]>();
    for (const reason of REJECT_REASON_CODES) {
      const code = pubackVerdict({ status: 'rejected', reason }).reasonCode;
      byCode.set(code, [...(byCode.get(code) ?? []), reason]);
    }
    assert.deepEqual(Object.fromEntries(byCode), {
      0x99: ['size', 'unsigned', 'json', 'version', 'type', 'schema'],
      0x87: ['signature', 'unknown-device', 'revoked'],
      0x90: ['topic'],
      0x00: ['replay', 'credential', 'rate-limited'],
    });
    assert.deepEqual(Object.keys(PUBACK_REASON).sort(), [...REJECT_REASON_CODES].sort());
  });

  it('treats anything else the handler resolves with as taken', () => {
    for (const outcome of [undefined, null, 'ok', {}, { status: 'rejected', reason: 'novel' }]) {
      assert.equal(pubackVerdict(outcome).reasonCode, 0);
    }
  });
});
