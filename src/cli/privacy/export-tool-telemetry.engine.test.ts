import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { capture } from '../../../test-support/cli.js';
import { message } from '../../../test-support/messages.js';
import {
  connectDevice,
  eventually,
  fleetDataDir,
  provisionDevice,
  startTestPlatform,
} from '../../../test-support/platform.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { maskCommands } from './index.js';
import { main } from '../main.js';
import { sealCredential, toolOperatorAad } from '../../contract/index.js';

const RUBRIC = new URL('../../../examples/tool-telemetry-export.rubric.yaml', import.meta.url)
  .pathname;
const OPERATORS = ['OP-7731-KOWALSKI', 'OP-9902-OKAFOR'];

/** Every file under `dir` (recursively) whose bytes contain one of `needles`. */
async function filesContaining(dir: string, needles: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    const bytes = await readFile(file);
    if (needles.some((n) => bytes.includes(n))) found.push(file);
  }
  return found;
}

describe('export tool-telemetry (embedded platform, mutual TLS)', () => {
  it('masks the stored reports, passes mask verify and writes no operator id in clear', async (t) => {
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'TOOL-0401', 'tool');
    const platform = await startTestPlatform(t, data);
    const tool = await connectDevice(t, platform.mqttUrl, dir);
    const sealKey = await platform.customers.sealKeys.current();
    const recipient = { kid: sealKey.kid, publicKey: Buffer.from(sealKey.public_key, 'base64url') };
    const start = Date.now() - 30 * 60_000;
    const reports = 24;
    for (let i = 0; i < reports; i++) {
      const operator =
        i === 5
          ? // Sealed for another tool: it must not open here, and must not leak as ciphertext.
            sealCredential(recipient, OPERATORS[0]!, toolOperatorAad('TOOL-9999'))
          : sealCredential(recipient, OPERATORS[i % 2]!, toolOperatorAad('TOOL-0401'));
      await tool.send(
        message('tool-telemetry', 'TOOL-0401', i + 1, {
          ts: new Date(start + i * 60_000).toISOString(),
          usage_minutes: 1,
          cycles: 3,
          location: { lat: 52.52 + i / 1000, lon: 13.405, accuracy_m: 8, source: 'gnss' },
          ...(i === 7 ? {} : { operator }),
        }),
      );
    }
    await eventually(
      async () =>
        (await platform.telemetry.latestForDevice('TOOL-0401', { limit: 100 })).length === reports
          ? true
          : undefined,
      'the reports stored',
    );
    // The telemetry store holds ciphertext only (decision 042).
    assert.deepEqual(await filesContaining(join(data, 'telemetry'), OPERATORS), []);

    // The platform keeps running: the export reads the telemetry store beside it.
    const work = await tempDir(t);
    const out = join(work, 'tools.masked.jsonl');
    const commands = maskCommands({ interactive: false });
    const io = capture();
    const code = await main(
      [
        'export',
        'tool-telemetry',
        '--data',
        data,
        '--rubric',
        RUBRIC,
        '--since',
        '2h',
        '--out',
        out,
      ],
      io,
      commands,
    );
    assert.equal(code, 0, io.text());
    assert.match(io.text(), /Masked 24 rows/);
    assert.match(io.text(), /22 opened and tokenised, 1 reports without one, 1 that did not open/);

    const rows = (await readFile(out, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(rows.length, reports);
    const tokens = new Set(rows.map((r) => r['operator_id']).filter((v) => v !== undefined));
    assert.equal(tokens.size, 2, 'one stable token per operator');
    assert.notEqual(rows[0]!['tool_serial'], 'TOOL-0401');
    assert.equal(rows[0]!['usage_minutes'], 1);
    assert.equal(rows[5]!['operator_id'], undefined);

    const verify = capture();
    const verified = await main(
      ['mask', 'verify', '--rubric', RUBRIC, '--in', out],
      verify,
      commands,
    );
    assert.equal(verified, 0, verify.text());

    // Nowhere: not the output, its run record or findings log, the work dir, the token store.
    const needles = [...OPERATORS, 'TOOL-0401'];
    assert.deepEqual(await filesContaining(work, OPERATORS), []);
    assert.deepEqual(await filesContaining(join(data, 'privacy'), OPERATORS), []);
    const leftovers = (await readdir(tmpdir())).filter((f) => f.includes('tools.masked'));
    assert.deepEqual(leftovers, []);
    assert.ok(!(await readFile(out, 'utf8')).includes(needles[2]!), 'the serial is hashed');
  });
});
