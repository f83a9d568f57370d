import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { capture } from '../../../test-support/cli.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { DEFAULT_PRICE_FILE } from '../../domain/cost/price-file.js';
import { main } from '../main.js';
import { costCommands } from './index.js';

const run = async (...argv: string[]) => {
  const io = capture();
  const code = await main(['cost', ...argv], io, costCommands());
  return { code, io };
};

describe('fleetplane cost', () => {
  it('prints each deployment line by line with totals, beside the seed’s $0.39', async () => {
    const { code, io } = await run('--carts', '5000');
    assert.equal(code, 0, io.text());
    const text = io.stdout.join('\n');
    assert.match(text, /Cloud cost for 5,000 carts, prices aws-us-east-1-2026-12/);
    assert.match(text, /One cart a month: 10,950 messages \(360 a day\)/);
    assert.match(text, /^VM: platform, broker, stores +2 vCPU .* \$59\.57 +\$0\.0119$/m);
    assert.match(
      text,
      /^DynamoDB writes +273,750,000 WRU +\$0\.625 \/ million +\$171\.09 +\$0\.0342$/m,
    );
    assert.match(text, /^self-hosted +\$0\.0308 +at 5,000 carts$/m);
    assert.match(text, /^AWS +\$0\.2813 +at 5,000 carts$/m);
    assert.match(text, /^seed \(PRD\) +\$0\.3900 +at 5,000 carts; \$0\.2250 without the LTE-M/m);
  });

  it('gives the whole table as JSON with the inputs and where each came from', async () => {
    const { code, io } = await run('--carts', '10000', '--json');
    assert.equal(code, 0, io.text());
    const table = JSON.parse(io.stdout.join('\n')) as {
      carts: number;
      deployments: { deployment: string; perCartMonthUsd: number }[];
      inputs: Record<string, { basis: string; source: string }>;
    };
    assert.equal(table.carts, 10_000);
    assert.deepEqual(
      table.deployments.map((d) => d.deployment),
      ['self-hosted', 'aws'],
    );
    assert.equal(table.inputs['peakCores']?.basis, 'measured');
    assert.match(table.inputs['peakCores']?.source ?? '', /bench:soak/);
  });

  it('answers a bad --carts, a missing one or an unknown flag with the usage, exit 2', async () => {
    for (const argv of [
      ['--carts', '0'],
      ['--carts', '-5'],
      ['--carts', '5k'],
      ['--carts', '1.5'],
      ['--carts', '10000001'],
      ['--carts', ''],
      [],
      ['--carts', '5', '--cart', '3'],
      ['--carts', '5', '--prices'],
    ]) {
      const { code, io } = await run(...argv);
      assert.equal(code, 2, `${argv.join(' ')}: ${io.text()}`);
      assert.match(io.text(), /usage: fleetplane cost --carts N \[--prices FILE\] \[--json\]/);
    }
    assert.match((await run('--carts', '5k')).io.text(), /--carts must be a whole number from 1/);
  });

  it('names the file, line and field of a bad price file, exit 1', async (t) => {
    const dir = await tempDir(t);
    const file = join(dir, 'prices.json');
    const text = await readFile(DEFAULT_PRICE_FILE, 'utf8');
    await writeFile(file, text.replace('"usd": 0.08,', '"usd": -0.08,'));
    const line = text.split('\n').findIndex((l) => l.includes('"usd": 0.08,')) + 1;
    const { code, io } = await run('--carts', '5', '--prices', file);
    assert.equal(code, 1);
    assert.match(
      io.text(),
      new RegExp(
        `${file}:${line}:\\d+: aws\\.iotCoreConnectionMinutesPerMillion\\.usd: must be >= 0`,
      ),
    );
    const missing = await run('--carts', '5', '--prices', join(dir, 'none.json'));
    assert.equal(missing.code, 1);
    assert.match(missing.io.text(), /cannot read the price file \(ENOENT\)/);
  });
});
