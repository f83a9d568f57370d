import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { paymentLayout } from '../../payment/payment-layout.js';
import { dataLayout } from '../../stores/data-dir/layout.js';
import { platformLayout } from '../platform-layout.js';
import { PAYMENT_DB, TOP_LEVEL, sqliteFiles } from './inventory.js';

const SRC = new URL('../../', import.meta.url).pathname;

// Where code names a top-level entry of the data directory: join(resolve(dataDir), 'x', …),
// join(dataDir, 'x'), join(options.dataDir, 'x').
const NAMED = /join\(\s*(?:resolve\()?[\w.]*[dD]ataDir\)?\s*,\s*'([^']+)'/g;

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name));
}

describe('the backup inventory', () => {
  it('has a rule for every top-level entry the code writes in a data directory', async () => {
    const named = new Map<string, string>();
    for (const file of await sourceFiles(SRC)) {
      for (const match of (await readFile(file, 'utf8')).matchAll(NAMED)) {
        named.set(match[1]!, relative(SRC, file));
      }
    }
    const root = '/data';
    for (const path of [
      ...Object.values(platformLayout(root)).flatMap((v) =>
        typeof v === 'string' ? [v] : Object.values(v as Record<string, string>),
      ),
      ...Object.values(dataLayout(root)).filter((v): v is string => typeof v === 'string'),
    ]) {
      const top = relative(root, path).split('/')[0]!;
      if (top !== '') named.set(top, 'platformLayout / dataLayout');
    }
    // The scan must see what it is meant to: a few entries known to be written.
    for (const known of ['keys', 'vault', 'privacy', 'telemetry', 'platform.lock']) {
      assert.ok(named.has(known), `the source scan no longer finds '${known}'`);
    }
    const missing = [...named].filter(([name]) => !(name in TOP_LEVEL));
    assert.deepEqual(
      missing.map(([name, where]) => `${name} (${where})`),
      [],
      'top-level entries with no backup rule: add each to TOP_LEVEL in inventory.ts',
    );
  });

  it("copies the payment service's ledger online, at the path its layout gives", () => {
    assert.equal(relative('/data', paymentLayout('/data').db), PAYMENT_DB);
    assert.ok(sqliteFiles('/data').has(PAYMENT_DB));
    assert.ok(sqliteFiles('/data').has('telemetry/telemetry.sqlite'));
  });

  it('leaves the lock out and keeps key material out of the data sets', () => {
    assert.equal(TOP_LEVEL['platform.lock']?.set, 'none');
    assert.equal(TOP_LEVEL['keys']?.set, 'keys');
    assert.equal(TOP_LEVEL['keys-kms']?.set, 'keys');
    assert.equal(TOP_LEVEL['vault']?.set, 'vault');
  });
});
