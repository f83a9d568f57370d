import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { capture } from '../../../test-support/cli.js';
import { startDynalite } from '../../../test-support/local-aws.js';
import { fleetDataDir } from '../../../test-support/platform.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { DynamoDbTelemetryStore } from '../../stores/telemetry/dynamodb/dynamodb-telemetry-store.js';
import { record } from '../../stores/telemetry/telemetry-store.contract.js';
import { main } from '../main.js';
import { analyticsCommands } from './index.js';

describe('export parquet from DynamoDB telemetry (dynalite)', () => {
  it('reads the same change feed through the port and exports only what is new', async (t) => {
    const { endpoint, port } = await startDynalite(t);
    const store = await DynamoDbTelemetryStore.open({ endpoint, table: 'telemetry' });
    t.after(() => store.close());
    await store.append([1, 2, 3].map((n) => record('CART-0001', n)));
    await store.append([record('CART-0002', 1, { storeId: 'hamburg-2' })]);

    const data = await fleetDataDir(t);
    const out = join(await tempDir(t), 'exports');
    const commands = analyticsCommands();
    const url = `dynamodb://127.0.0.1:${port}/telemetry`;
    const run = async (...argv: string[]) => {
      const io = capture();
      const code = await main(argv, io, commands);
      assert.equal(code, 0, io.text());
      return io.text();
    };
    const exportRun = () =>
      run('export', 'parquet', '--data', data, '--telemetry-url', url, '--out', out);

    assert.match(await exportRun(), /Exported 4 rows/);
    assert.match(await exportRun(), /Nothing new/);
    await store.append([record('CART-0001', 4)]);
    assert.match(await exportRun(), /Exported 1 row \(/);
    const counts = await run(
      'analytics',
      'sql',
      '--dir',
      out,
      '--format',
      'jsonl',
      'SELECT store, count(*)::INT AS n FROM telemetry GROUP BY ALL ORDER BY ALL',
    );
    assert.deepEqual(
      counts
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
      [
        { store: 'berlin-1', n: 4 },
        { store: 'hamburg-2', n: 1 },
      ],
    );
  });
});

describe('export parquet refuses bad input with exit 2 and the usage', () => {
  for (const [argv, why] of [
    [['--from', '2026-02-30'], /--from must be a UTC day like 2026-11-01, got '2026-02-30'/],
    [['--from', '2026-03-02', '--to', '2026-03-01'], /--from 2026-03-02 is after --to 2026-03-01/],
    [['--compression', 'lz9'], /--compression must be one of zstd, snappy, uncompressed/],
    [[], /no telemetry store in .* \(has a platform run on it\?\)/],
  ] as const) {
    it(`refuses ${argv.join(' ') || 'a data directory without telemetry'} with exit 2 and a hint`, async (t) => {
      const data = await fleetDataDir(t);
      const io = capture();
      const code = await main(
        ['export', 'parquet', '--data', data, '--out', join(data, 'x'), ...argv],
        io,
        analyticsCommands(),
      );
      assert.equal(code, 2, io.text());
      assert.match(io.text(), why);
      assert.match(io.text(), /usage: fleetplane export parquet/);
    });
  }

  it('explains a telemetry URL it cannot use, with the usage', async (t) => {
    const data = await fleetDataDir(t);
    const io = capture();
    const code = await main(
      ['export', 'parquet', '--data', data, '--telemetry-url', 'postgres://x/y', '--out', data],
      io,
      analyticsCommands(),
    );
    assert.equal(code, 2);
    assert.match(io.text(), /--telemetry-url: .*scheme must be dynamodb/);
    assert.match(io.text(), /usage: fleetplane export parquet/);
  });
});
