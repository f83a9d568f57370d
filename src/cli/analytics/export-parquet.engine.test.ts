import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sealCredential, toolOperatorAad } from '../../contract/index.js';
import { capture } from '../../../test-support/cli.js';
import { message } from '../../../test-support/messages.js';
import {
  connectDevice,
  eventually,
  fleetDataDir,
  provisionDevice,
  runCli,
  startTestPlatform,
} from '../../../test-support/platform.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { utcDay } from '../../domain/analytics/index.js';
import { main } from '../main.js';
import { analyticsCommands } from './index.js';

const OPERATOR = 'OP-5518-LINDQVIST';
const SITE = 'SITE-ELBTOWER-3';
const TOOL = 'TOOL-0777';

/** Every file under `dir` whose bytes contain `needle`. */
async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    if ((await readFile(file)).includes(needle)) found.push(file);
  }
  return found;
}

async function parquetFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.parquet')).sort();
}

describe('export parquet (embedded platform, signed messages through the real ingest)', () => {
  it('exports per store and day, then only what is new, with no personal data in the files', async (t) => {
    const data = await fleetDataDir(t);
    await runCli('store', 'add', '--data', data, '--id', 'hamburg-2', '--name', 'Hamburg 2');
    const toolDir = await provisionDevice(data, TOOL, 'tool', 'berlin-1');
    const cartDir = await provisionDevice(data, 'CART-0101', 'cart', 'hamburg-2');
    const platform = await startTestPlatform(t, data);
    const tool = await connectDevice(t, platform.mqttUrl, toolDir);
    const cart = await connectDevice(t, platform.mqttUrl, cartDir);
    const sealKey = await platform.customers.sealKeys.current();
    const recipient = { kid: sealKey.kid, publicKey: Buffer.from(sealKey.public_key, 'base64url') };

    let toolCounter = 0;
    let cartCounter = 0;
    const toolReport = (at: number) =>
      tool.send(
        message('tool-telemetry', TOOL, ++toolCounter, {
          ts: new Date(at).toISOString(),
          operator: sealCredential(recipient, OPERATOR, toolOperatorAad(TOOL)),
          job_site_id: SITE,
          location: { lat: 53.5412, lon: 9.9876, accuracy_m: 8, source: 'gnss' },
        }),
      );
    const health = (at: number) =>
      cart.send(message('health', 'CART-0101', ++cartCounter, { ts: new Date(at).toISOString() }));

    const now = Date.now();
    const times = [now - 20 * 60_000, now - 15 * 60_000, now - 10 * 60_000];
    // A report from yesterday (a tool that was offline): its own day's partition.
    const yesterday = now - 26 * 3_600_000;
    const toolTimes = [yesterday, ...times];
    for (const at of toolTimes) await toolReport(at);
    for (const at of [...times, now - 5 * 60_000]) await health(at);
    const stored = (n: number) =>
      eventually(
        async () => ((await platform.telemetry.count()) >= n ? true : undefined),
        `${n} events stored`,
      );
    await stored(8);

    const out = join(await tempDir(t), 'exports');
    // Small chunks: the run commits several times, as a long export does.
    const commands = analyticsCommands({ chunkEvents: 3 });
    const exportRun = async () => {
      const io = capture();
      const code = await main(
        ['export', 'parquet', '--data', data, '--out', out, '--compression', 'uncompressed'],
        io,
        commands,
      );
      assert.equal(code, 0, io.text());
      return io.text();
    };
    const sql = async (query: string) => {
      const io = capture();
      const code = await main(
        ['analytics', 'sql', '--dir', out, '--format', 'jsonl', query],
        io,
        commands,
      );
      assert.equal(code, 0, io.text());
      return io.stdout.map((l) => JSON.parse(l) as Record<string, unknown>);
    };
    const perPartition = () =>
      sql('SELECT store, day, count(*)::INT AS n FROM telemetry GROUP BY ALL ORDER BY ALL');
    const expected = (tools: number[], carts: number[]) => {
      const counts = new Map<string, number>();
      for (const [store, list] of [
        ['berlin-1', tools],
        ['hamburg-2', carts],
      ] as const) {
        for (const at of list) {
          const key = `${store}|${utcDay(at)}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
      }
      return [...counts]
        .sort()
        .map(([k, n]) => ({ store: k.split('|')[0], day: k.split('|')[1], n }));
    };

    const first = await exportRun();
    assert.match(first, /Exported 8 rows/);
    assert.match(first, /4 rows masked with tool-telemetry-export@1/);
    assert.deepEqual(await perPartition(), expected(toolTimes, [...times, now - 5 * 60_000]));

    // Nothing new: nothing written.
    const filesBefore = await parquetFiles(out);
    const manifestBefore = await readFile(join(out, '_export.json'), 'utf8');
    assert.match(await exportRun(), /Nothing new after seq \d+/);
    assert.deepEqual(await parquetFiles(out), filesBefore);
    assert.equal(await readFile(join(out, '_export.json'), 'utf8'), manifestBefore);

    // New messages: only they are written, in new files.
    await toolReport(now - 60_000);
    await health(now - 30_000);
    await health(now - 20_000);
    await stored(11);
    assert.match(await exportRun(), /Exported 3 rows/);
    const filesAfter = await parquetFiles(out);
    assert.ok(
      filesBefore.every((f) => filesAfter.includes(f)),
      'earlier files untouched',
    );
    assert.ok(filesAfter.length > filesBefore.length);
    assert.deepEqual(
      await perPartition(),
      expected(
        [...toolTimes, now - 60_000],
        [...times, now - 5 * 60_000, now - 30_000, now - 20_000],
      ),
    );
    assert.deepEqual(
      await sql('SELECT count(DISTINCT seq)::INT AS n, count(*)::INT AS m FROM telemetry'),
      [{ n: 11, m: 11 }],
    );

    // Masked: the tool's rows carry digests and tokens, the decision record, no exact time.
    const toolRows = await sql(
      `SELECT device_id, body->>'operator_id' AS op, mask, minute(ts)::INT AS minute FROM telemetry WHERE type = 'tool-telemetry'`,
    );
    assert.equal(toolRows.length, 5);
    for (const row of toolRows) {
      assert.match(String(row['device_id']), /^[0-9a-f]{64}$/);
      assert.match(String(row['op']), /^tok_/);
      assert.match(String(row['mask']), /^rubric=tool-telemetry-export@1;/);
      assert.equal(row['minute'], 0, 'truncated to the hour');
    }

    // The bytes of every file: the files are uncompressed, so a value written is a value found.
    assert.notDeepEqual(await filesContaining(out, 'CART-0101'), [], 'the grep sees plain values');
    for (const pii of [OPERATOR, SITE, TOOL]) {
      assert.deepEqual(await filesContaining(out, pii), [], `${pii} is in no exported file`);
    }
  });
});
