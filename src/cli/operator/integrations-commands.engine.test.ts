import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { capture } from '../../../test-support/cli.js';
import { fleetDataDir, startTestPlatform } from '../../../test-support/platform.js';
import { main } from '../main.js';
import { operatorCommands } from './index.js';

async function run(...argv: string[]) {
  const io = capture();
  const code = await main(argv, io, operatorCommands());
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

const GOOD = `integrations:
  - id: cold-out
    match: { deviceClass: [coldchain] }
    sink: { kind: jetstream, url: "nats://127.0.0.1:4222", subject: "fleet.{store}.{type}" }
    enabled: false
`;

describe('fleetplane integrations against a running platform', () => {
  it('puts a file, lists it, reads a delivery log, and names the line of a bad file', async (t) => {
    const data = await fleetDataDir(t);
    await startTestPlatform(t, data);
    const bad = join(data, 'bad.yaml');
    await writeFile(bad, GOOD.replace('enabled: false', 'enabled: maybe'));
    const refused = await run('integrations', 'put', bad, '--data', data);
    assert.equal(refused.code, 2, refused.err);
    assert.match(refused.err, /bad\.yaml:5:\d+: integrations\[0\]\.enabled: must be boolean/);

    const good = join(data, 'integrations.yaml');
    await writeFile(good, GOOD);
    const put = await run('integrations', 'put', good, '--data', data);
    assert.equal(put.code, 0, put.err);
    // The table fits 80 columns; --json has the whole document.
    assert.match(put.out, /cold-out +jetstream nats:\/\/\S* +coldchain \* +disabled +0 +0 +-/);
    const listed = await run('integrations', 'list', '--data', data, '--json');
    assert.equal(listed.code, 0, listed.err);
    const { integrations } = JSON.parse(listed.out) as { integrations: { id: string }[] };
    assert.deepEqual(
      integrations.map((i) => i.id),
      ['cold-out'],
    );
    const log = await run('integrations', 'deliveries', 'cold-out', '--data', data);
    assert.equal(log.code, 0, log.err);
    assert.equal(log.out, 'No deliveries for cold-out yet.');
    const none = await run('integrations', 'deliveries', 'gone', '--data', data);
    assert.notEqual(none.code, 0);
    assert.match(none.err, /no integration gone/);
  });
});
