import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../../test-support/temp-dir.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'bin', 'fleetplane.js');
const built = existsSync(join(root, 'dist', 'cli', 'main.js'));
const DEADLINE_MS = 180_000;

const fleetplane = (...args: string[]) => {
  const run = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
};

async function until(what: string, holds: () => boolean) {
  const deadline = Date.now() + DEADLINE_MS;
  while (!holds()) {
    if (Date.now() > deadline) throw new Error(`not ${what} within ${DEADLINE_MS} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('fleetplane start opens what is used and says what it is doing (issue 16)', () => {
  it('prints progress before the banner, and opens the vault of a region only when it has a store', async (t) => {
    if (!built && !process.env['FLEETPLANE_REQUIRE_ENGINES'])
      return t.skip('dist/ not built: run npm run build');
    const data = join(await tempDir(t), 'data');
    fleetplane('ca', 'init', '--data', data);
    fleetplane(
      'store',
      'add',
      '--data',
      data,
      '--id',
      'berlin',
      '--name',
      'Berlin',
      '--region',
      'eu',
    );

    const child = spawn(
      process.execPath,
      // Every port free: a default one (the device API's 8443) may be held by another test.
      [
        ...[bin, 'start', '--data', data, '--api-http'],
        ...['--api-port', '0', '--mqtt-port', '0', '--device-port', '0'],
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    t.after(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    });
    // Both streams in the order they arrived: the process writes each line before the next.
    const timeline: { stream: 'out' | 'err'; line: string }[] = [];
    for (const [stream, pipe] of [
      ['out', child.stdout],
      ['err', child.stderr],
    ] as const) {
      pipe.on('data', (d: Buffer) => {
        for (const line of d.toString().split('\n')) if (line) timeline.push({ stream, line });
      });
    }
    const text = () => timeline.map((e) => `${e.stream}: ${e.line}`).join('\n');
    await until('the banner', () => {
      // A start that fails says why at once; waiting out the deadline would hide it.
      if (child.exitCode !== null) assert.fail(`start exited ${child.exitCode}:\n${text()}`);
      return timeline.some((e) => /Ctrl-C to stop/.test(e.line));
    });

    const banner = timeline.findIndex((e) => /^fleetplane .* running on/.test(e.line));
    const progress = timeline
      .map((e, i) => ({ ...e, i }))
      .filter((e) => e.stream === 'err' && /^fleetplane: opening the entity store/.test(e.line));
    assert.equal(progress.length, 1, text());
    assert.ok(progress[0]!.i < banner, `progress before the banner:\n${text()}`);
    assert.match(text(), /err: fleetplane: opening the telemetry store/);

    // The EU vault is opened after start, because the EU has a store; the US has none.
    await until('the EU vault opened', () => existsSync(join(data, 'vault', 'eu', 'PG_VERSION')));
    assert.equal(existsSync(join(data, 'vault', 'us')), false, 'no US vault without a US store');

    child.kill('SIGTERM');
    assert.equal(await exited, 0, text());
    assert.equal(existsSync(join(data, 'vault', 'us')), false, 'still none after stopping');
  });
});
