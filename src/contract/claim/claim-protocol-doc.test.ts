import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CLAIM_REFUSAL_REASON_CODES } from './claim-reasons.js';

const doc = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8');

describe('docs/protocol.md on claim provisioning', () => {
  it('explains every claim refusal reason, and no other, in its section', () => {
    const section = doc.slice(doc.indexOf('### Claim provisioning'), doc.indexOf('## 3.'));
    const rows = [...section.matchAll(/^\|\s*`([a-z-]+)`\s*\|/gm)].map((m) => m[1]);
    assert.deepEqual(rows.sort(), [...CLAIM_REFUSAL_REASON_CODES].sort());
  });
});
