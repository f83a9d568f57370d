// Runs the README's "Running the platform" walkthrough, command by command, the way a new user
// would: the built `fleetplane` in a fresh directory, one platform started in a terminal of its
// own. The commands come from README.md itself, so the README cannot drift from what works.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readPlatformLock } from '../../src/stores/data-dir/platform-lock.js';
import {
  builtBin,
  distBuilt,
  runScript,
  shellBlock,
  type Step,
} from '../../test-support/doc-commands.js';
import { needEngine } from '../../test-support/engines.js';
import { eventually } from '../../test-support/platform.js';
import { tempDir } from '../../test-support/temp-dir.js';

const fleetplane = `node ${builtBin}`;

/** What each step must show, by a piece of its command line: the README's promises. */
const PROMISES: [string, RegExp][] = [
  ['store add', /^Added store store-1 \(Store 1, region eu, time zone Europe\/Berlin\)/],
  ['store list', /^store-1\s+eu\s+Europe\/Berlin\s+Store 1$/m],
  ['provision', /^Provisioned CART-0001 \(store store-1, class cart\)/],
  ['--type boot', /^Stored: boot from CART-0001, counter 1 \(/],
  ['--type health', /^Stored: health from CART-0001, counter 2/],
  [
    '--type session-start',
    /^Stored: session-start from CART-0001, counter 3, session [0-9a-f-]{36}/,
  ],
  ['--type scan --body', /^Stored: scan from CART-0001, counter 5, session [0-9a-f-]{36}/],
  ['--type scan\n', /^Stored: scan from CART-0001, counter 4, session [0-9a-f-]{36}/],
  ['--type session-end', /^Stored: session-end from CART-0001, counter 6/],
  ['/v1/devices/CART-0001\n', /"CART-0001"/],
  ['/v1/devices/CART-0001/events', /"type":"scan"[^]*"type":"scan"/],
  ['/v1/stores/store-1/devices', /"CART-0001"/],
  ['/v1/stores/store-1/carts', /"CART-0001"/],
  ['battery_below=90', /"CART-0001"/],
  ['/metrics', /fleetplane_ingest/],
  ['devices list', /^CART-0001\s+store-1\s+cart\b/m],
  ['devices show CART-0001', /Device: +CART-0001 \(cart\) in store store-1/],
  ['/v1/stores/store-1/fleet-diff', /"expected":1,/],
  ['fleet diff', /^store-1: 1 expected, /m],
  ['devices top-errors', /^No device had a reject, fault or reboot in the last 24h\.$/m],
];

/** What the retention and backup sections promise, run on the walkthrough's data directory. */
const OPERATIONS_PROMISES: [string, RegExp][] = [
  // The events the walkthrough just sent are months from the 18-month cutoff.
  [
    'retention plan --data ./fleet-data',
    /^Retention plan at .*\(dry run[^]*telemetry events +0 +none due/,
  ],
  ['--now 2028-06-01T00:00:00Z', /^Retention plan at 2028-06-01T00:00:00\.000Z/],
  ['retention run', /"applied": true/],
  ['--out backups/fleet.tar.gz', /^core +\S+fleet\.tar\.gz +\d+ files[^]*\(platform stopped\)/m],
  // The walkthrough's directory has no EU customer, so no EU vault to back up.
  ['--region eu', /nothing to back up for vault-eu/],
  ['--sets keys', /^keys +\S+keys\.keys\.tar\.gz/m],
  ['--data ./fleet-data-restored', /^Restored backup \S+ of .* into \S+fleet-data-restored/m],
  // The events the walkthrough sent came back with the restore (18 months before 2030 is 2028).
  ['--data ./fleet-data-restored --now', /telemetry events +[1-9]\d* +fold into daily aggregates/],
  ['--force', /the directory's previous data: \S+fleet-data\.before-restore-/],
];

describe("the README's walkthrough, run as written", () => {
  it('shows the device, its events and the store after device send, with one platform start, then retention, backup and restore on what it left', async (t) => {
    if (!needEngine(t, distBuilt, 'a built dist/ (npm run build)')) return;
    const lines = await shellBlock('README.md', '## Running the platform');
    const startAt = lines.findIndex((l) => l.startsWith('npx fleetplane start '));
    assert.ok(startAt === 0, 'the walkthrough starts the platform first');
    const cwd = await tempDir(t, 'walkthrough-');

    // The start line, in a process of its own (the README's "terminal of its own"), on ports
    // the OS picks; the test stops it with Ctrl-C's signal as a person would.
    const startArgs = lines[0]!.replace(/#.*$/, '').trim().split(/\s+/).slice(2);
    const platform = spawn(
      process.execPath,
      [builtBin, ...startArgs, '--mqtt-port', '0', '--api-port', '0', '--device-port', '0'],
      { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let startOutput = '';
    platform.stdout.on('data', (d: Buffer) => (startOutput += d.toString()));
    platform.stderr.on('data', () => undefined);
    const exited = new Promise<number | null>((resolve) => platform.once('exit', resolve));
    t.after(() => {
      if (platform.exitCode === null) platform.kill('SIGKILL');
    });
    const data = join(cwd, 'fleet-data');
    const lock = await eventually(
      async () => {
        if (platform.exitCode !== null) assert.fail(`start exited: ${startOutput}`);
        const l = existsSync(data) ? await readPlatformLock(data) : undefined;
        return l?.apiUrl && l.deviceApiUrl && l.mqttUrl ? l : undefined;
      },
      'the platform to announce its URLs in platform.lock',
      240_000,
    );

    const rest = lines
      .slice(1)
      .map((l) =>
        l
          .replaceAll('npx fleetplane', fleetplane)
          .replaceAll('https://localhost:8080', lock.apiUrl!)
          .replaceAll('https://localhost:8443', lock.deviceApiUrl!),
      );
    const run = await runScript(rest, cwd);
    const transcript = run.transcript;
    if (process.env['WALKTHROUGH_TRANSCRIPT'])
      await writeFile(process.env['WALKTHROUGH_TRANSCRIPT'], transcript);
    assert.equal(run.status, 0, transcript);
    assert.equal(run.steps.length, rest.length, transcript);

    const step = (piece: string): Step => {
      const found = run.steps.find((s) => `${s.line}\n`.replace(/\s+#.*\n$/, '\n').includes(piece));
      assert.ok(found, `a step with '${piece}' in the walkthrough`);
      return found;
    };
    for (const [piece, promise] of PROMISES) {
      assert.match(
        step(piece).output,
        promise,
        `'${piece}' shows what the README says\n${transcript}`,
      );
    }
    for (const s of run.steps.filter((s) => s.line.startsWith('curl'))) {
      assert.doesNotMatch(s.output, /"error"\s*:/, `${s.line}\n${s.output}`);
    }
    const session = /session ([0-9a-f-]{36})/.exec(step('--type session-start').output)![1]!;
    assert.match(
      step('status=complete').output,
      new RegExp(session),
      `the completed session is listed\n${transcript}`,
    );

    platform.kill('SIGINT');
    assert.equal(await exited, 0, startOutput);
    assert.equal(await readPlatformLock(data), undefined, 'Ctrl-C released the data directory');

    // The operations sections, on what the walkthrough left behind, with the platform stopped.
    const operations = [
      ...(await shellBlock('README.md', '### Retention (decision 063)')),
      ...(await shellBlock('README.md', '## Backups and restore (decision 064)')),
    ].map((l) => l.replaceAll('npx fleetplane', fleetplane));
    const ops = await runScript(operations, cwd);
    assert.equal(ops.status, 0, ops.transcript);
    assert.equal(ops.steps.length, operations.length, ops.transcript);
    const opsStep = (piece: string): string => {
      const found = ops.steps.find((s) => s.line.replace(/\s+#.*$/, '').includes(piece));
      assert.ok(found, `a step with '${piece}' in the operations sections`);
      return found.output;
    };
    for (const [piece, promise] of OPERATIONS_PROMISES) {
      assert.match(
        opsStep(piece),
        promise,
        `'${piece}' shows what the README says\n${ops.transcript}`,
      );
    }
  });
});
