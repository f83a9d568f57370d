import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLOUD_DOCUMENTS, DEVICE_MESSAGE_TYPES, type CloudDocumentType } from './catalog.js';
import {
  ATTACH_CUSTOMER_EXAMPLE,
  CATALOG_EXAMPLE,
  CLOUD_EXAMPLES,
  DEVICE_EXAMPLES,
  OTA_MANIFEST_EXAMPLE,
} from './examples.js';
import { isRealInstant, validateDeviceMessage, validateDocument } from './validate.js';

const clone = <T>(v: T): T => structuredClone(v);

function invalid(type: (typeof DEVICE_MESSAGE_TYPES)[number], value: unknown): string {
  const result = validateDeviceMessage(type, value);
  assert.equal(result.ok, false, `expected ${type} to be refused: ${JSON.stringify(value)}`);
  return result.ok ? '' : result.detail;
}

describe('device message validation, every type', () => {
  for (const type of DEVICE_MESSAGE_TYPES) {
    const example = DEVICE_EXAMPLES[type] as unknown as Record<string, unknown>;

    it(`accepts the ${type} example`, () => {
      const result = validateDeviceMessage(type, example);
      assert.equal(result.ok, true, result.ok ? '' : result.detail);
    });

    it(`refuses a ${type} missing any envelope field`, () => {
      for (const field of ['schema_version', 'device_id', 'type', 'counter', 'ts']) {
        const value = clone(example);
        delete value[field];
        assert.match(invalid(type, value), new RegExp(field));
      }
    });

    it(`refuses a ${type} carrying a field the contract does not name (no PII can ride along)`, () => {
      const detail = invalid(type, { ...clone(example), email: 'ann@example.com' });
      assert.match(detail, /email/);
    });

    it(`refuses a ${type} with a negative, fractional or unsafe counter`, () => {
      for (const counter of [-1, 1.5, 2 ** 53, '12']) invalid(type, { ...clone(example), counter });
    });

    it(`refuses a ${type} whose ts is not RFC 3339 UTC with milliseconds, or not a real instant`, () => {
      for (const ts of [
        '2026-11-23T09:15:02Z',
        '2026-11-23 09:15:02.123Z',
        '2026-11-23T09:15:02.123+01:00',
        '2026-02-30T00:00:00.000Z',
      ]) {
        invalid(type, { ...clone(example), ts });
      }
    });

    it(`refuses a ${type} whose device_id could escape its topic level`, () => {
      for (const device_id of ['CART/1', 'CART+', '#', '', 'x'.repeat(65)])
        invalid(type, { ...clone(example), device_id });
    });
  }
});

describe('type-specific rules', () => {
  it('refuses a scan whose quantity is out of range or whose barcode holds a space', () => {
    assert.match(invalid('scan', { ...DEVICE_EXAMPLES.scan, quantity: 100 }), /quantity/);
    assert.match(invalid('scan', { ...DEVICE_EXAMPLES.scan, barcode: 'Ann Smith' }), /barcode/);
  });

  it('refuses session messages without a UUID session_id', () => {
    for (const type of ['scan', 'session-start', 'session-end', 'identify'] as const) {
      const value = clone(DEVICE_EXAMPLES[type]) as Record<string, unknown>;
      value['session_id'] = 'session-1';
      assert.match(invalid(type, value), /session_id/);
      delete value['session_id'];
      invalid(type, value);
    }
  });

  it('accepts a sealed credential for each method and refuses a credential in the clear', () => {
    const base = { ...DEVICE_EXAMPLES.identify } as Record<string, unknown>;
    for (const method of ['loyalty', 'payment-token', 'app-code'])
      assert.equal(validateDeviceMessage('identify', { ...base, method }).ok, true);
    const bare = { ...base };
    delete bare['credential'];
    invalid('identify', { ...bare, loyalty_number: '6012345678901234' });
    invalid('identify', { ...base, loyalty_number: '6012345678901234' });
    assert.equal(
      invalid('identify', { ...base, method: 'email' }),
      '/method must be equal to one of the allowed values (loyalty, payment-token, app-code)',
    );
    invalid('identify', { ...base, first_name: 'Ann' });
    const credential = base['credential'] as Record<string, unknown>;
    invalid('identify', { ...base, credential: { ...credential, alg: 'none' } });
    invalid('identify', { ...base, credential: { ...credential, ct: '4111 1111 1111 1111' } });
  });

  it('refuses a session-end with more lines than the limit, or a card number as auth token', () => {
    const line = DEVICE_EXAMPLES['session-end'].contents[0]!;
    const tooMany = {
      ...DEVICE_EXAMPLES['session-end'],
      contents: Array.from({ length: 251 }, () => line),
    };
    assert.match(invalid('session-end', tooMany), /contents/);
    const payment = { ...DEVICE_EXAMPLES['session-end'].payment, pan: '4111111111111111' };
    assert.match(invalid('session-end', { ...DEVICE_EXAMPLES['session-end'], payment }), /pan/);
  });

  it('refuses health readings outside physical ranges', () => {
    assert.match(invalid('health', { ...DEVICE_EXAMPLES.health, battery_pct: 101 }), /battery_pct/);
    assert.match(invalid('health', { ...DEVICE_EXAMPLES.health, rssi_dbm: 5 }), /rssi_dbm/);
    const location = { ...DEVICE_EXAMPLES.health.location!, lat: 91 };
    assert.match(invalid('health', { ...DEVICE_EXAMPLES.health, location }), /lat/);
  });

  it('refuses free text in a fault detail and unknown fault codes', () => {
    assert.match(
      invalid('fault', { ...DEVICE_EXAMPLES.fault, detail: 'customer Ann was rude' }),
      /detail/,
    );
    assert.match(invalid('fault', { ...DEVICE_EXAMPLES.fault, code: 'on-fire' }), /code/);
  });

  it('refuses a boot that trusts no CA generation', () => {
    assert.match(
      invalid('boot', { ...DEVICE_EXAMPLES.boot, ca_generations: [] }),
      /ca_generations/,
    );
  });

  it('refuses cold-chain and tool readings outside their ranges', () => {
    invalid('coldchain-telemetry', { ...DEVICE_EXAMPLES['coldchain-telemetry'], humidity_pct: -1 });
    invalid('tool-telemetry', {
      ...DEVICE_EXAMPLES['tool-telemetry'],
      operator_email: 'bob@site.example',
    });
  });

  it('refuses a shadow report with a key the shadow does not define', () => {
    const reported = { ...DEVICE_EXAMPLES['shadow-report'].reported, wifi_password: 'x' };
    assert.match(
      invalid('shadow-report', { ...DEVICE_EXAMPLES['shadow-report'], reported }),
      /wifi_password/,
    );
  });
});

describe('cloud documents', () => {
  for (const type of Object.keys(CLOUD_DOCUMENTS) as CloudDocumentType[]) {
    it(`accepts the ${type} example and refuses it with an extra field`, () => {
      assert.equal(validateDocument(type, CLOUD_EXAMPLES[type]).ok, true);
      assert.equal(validateDocument(type, { ...CLOUD_EXAMPLES[type], extra: 1 }).ok, false);
    });
  }

  it('refuses an error feedback with a reason outside the closed set', () => {
    assert.equal(
      validateDocument('error', { ...CLOUD_EXAMPLES.error, reason: 'bad-vibes' }).ok,
      false,
    );
  });

  it('accepts the OTA manifest example and refuses a non-hex digest', () => {
    assert.equal(validateDocument('ota-manifest', OTA_MANIFEST_EXAMPLE).ok, true);
    assert.equal(
      validateDocument('ota-manifest', { ...OTA_MANIFEST_EXAMPLE, sha256: 'xyz' }).ok,
      false,
    );
  });

  it('accepts an attach-customer command carrying a basket, and refuses a name with digits', () => {
    assert.equal(validateDocument('command', ATTACH_CUSTOMER_EXAMPLE).ok, true);
    const args = { ...ATTACH_CUSTOMER_EXAMPLE.args, first_name: 'Card 4111' };
    assert.equal(validateDocument('command', { ...ATTACH_CUSTOMER_EXAMPLE, args }).ok, false);
  });

  it('accepts the catalog example and refuses a catalog over the cart cache size', () => {
    assert.equal(validateDocument('catalog', CATALOG_EXAMPLE).ok, true);
    const item = CATALOG_EXAMPLE.items[0]!;
    const items = Array.from({ length: 2001 }, (_, i) => ({ ...item, sku: `SKU-${i}` }));
    assert.equal(validateDocument('catalog', { ...CATALOG_EXAMPLE, items }).ok, false);
  });
});

describe('isRealInstant', () => {
  it('accepts real instants, leap days included', () => {
    for (const ts of [
      '2026-11-23T09:15:02.123Z',
      '2024-02-29T23:59:59.999Z',
      '2000-02-29T00:00:00.000Z',
      '2026-12-31T23:59:59.000Z',
    ]) {
      assert.equal(isRealInstant(ts), true, ts);
    }
  });
  it('refuses impossible dates and times', () => {
    for (const ts of [
      '2026-02-29T00:00:00.000Z',
      '1900-02-29T00:00:00.000Z',
      '2026-04-31T00:00:00.000Z',
      '2026-13-01T00:00:00.000Z',
      '2026-00-10T00:00:00.000Z',
      '2026-01-00T00:00:00.000Z',
      '2026-01-01T24:00:00.000Z',
      '2026-01-01T00:60:00.000Z',
      '2026-01-01T00:00:60.000Z',
    ]) {
      assert.equal(isRealInstant(ts), false, ts);
    }
  });
});
