import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CLOUD_DOCUMENTS, DEVICE_MESSAGE_TYPES } from './catalog.js';
import {
  MAX_BODY_BYTES,
  MAX_PACKET_BYTES,
  MAX_PAYLOAD_BYTES,
  MAX_SESSION_LINES,
} from './limits.js';
import { REJECT_REASON_CODES } from './reasons.js';
import { FIRMWARE_REJECT_CODES } from './ota/firmware-acceptance.js';
import { mosquittoAclPatterns } from './topics.js';

const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
const compact = doc.replace(/\s+/g, '');
const vectors = JSON.parse(
  readFileSync(new URL('../../schemas/test-vectors.json', import.meta.url), 'utf8'),
);

describe('docs/protocol.md stays in step with the contract', () => {
  const row = (text: string, key: string) =>
    new RegExp(`^\\|\\s*\`${key}\`\\s*\\|`, 'm').test(text);

  it('explains every reject reason, and no other, in the section on rejections', () => {
    const section = doc.slice(doc.indexOf('## 7.'), doc.indexOf('## 8.'));
    for (const code of REJECT_REASON_CODES) assert.ok(row(section, code), `reason ${code} missing`);
    const rows = [...section.matchAll(/^\|\s*`([a-z-]+)`\s*\|/gm)].map((m) => m[1]);
    assert.deepEqual(rows.sort(), [...REJECT_REASON_CODES].sort());
  });

  it('explains every firmware refusal reason, and no other, in the section on OTA updates', () => {
    const section = doc.slice(doc.indexOf('### OTA updates'), doc.indexOf('**CA rotation.**'));
    const rows = [...section.matchAll(/^\|\s*`([a-z-]+)`\s*\|/gm)].map((m) => m[1]);
    assert.deepEqual(rows.sort(), [...FIRMWARE_REJECT_CODES].sort());
  });

  it('names every message type and cloud document in a table', () => {
    for (const type of [...DEVICE_MESSAGE_TYPES, ...Object.keys(CLOUD_DOCUMENTS)]) {
      assert.ok(row(doc, type), `type ${type} missing from a table`);
    }
  });

  it('shows the test vector the tests verify: key, signature and payload bytes', () => {
    const v = vectors.valid[0];
    assert.ok(compact.includes(vectors.key.private_key_d_hex));
    assert.ok(compact.includes(vectors.key.public_key_uncompressed_hex));
    assert.ok(compact.includes(v.signature_hex));
    assert.ok(
      compact.includes(v.payload_hex),
      'payload hex differs from schemas/test-vectors.json',
    );
    assert.ok(doc.includes(v.body_utf8));
  });

  it('states the limits the code enforces', () => {
    const n = (x: number) => x.toLocaleString('en-US');
    assert.ok(doc.includes(n(MAX_PAYLOAD_BYTES)) && doc.includes(n(MAX_BODY_BYTES)));
    assert.ok(doc.includes(n(MAX_PACKET_BYTES)), 'the MQTT packet limit');
    assert.ok(doc.includes(`≤ ${MAX_SESSION_LINES}`));
  });

  it('prints the Mosquitto ACL the code generates', () => {
    for (const line of mosquittoAclPatterns()) assert.ok(doc.includes(line), line);
  });
});
