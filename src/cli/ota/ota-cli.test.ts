import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { capture } from '../../../test-support/cli.js';
import { TestClock } from '../../../test-support/identity.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { FIRMWARE_REJECT_CODES } from '../../contract/index.js';
import { identityCommands } from '../identity/index.js';
import { main } from '../main.js';
import { allCommands } from '../commands.js';
import { otaCommands } from './index.js';

const DAY_MS = 86_400_000;

/** A data dir with a fleet CA, a work dir with a 4 KiB image, and the CLI on a test clock. */
async function otaCli(t: TestContext, options: { ca?: boolean } = {}) {
  const data = await tempDir(t);
  const work = await tempDir(t);
  const clock = new TestClock();
  const commands = [...identityCommands({ now: clock.now }), ...otaCommands({ now: clock.now })];
  const run = async (...argv: string[]) => {
    const io = capture();
    const code = await main(argv, io, commands);
    return {
      code,
      io,
      text: io.text(),
      stdout: io.stdout.join('\n'),
      stderr: io.stderr.join('\n'),
    };
  };
  if (options.ca !== false) assert.equal((await run('ca', 'init', '--data', data)).code, 0);
  const image = join(work, 'cart-2.5.0.bin');
  await writeFile(image, Buffer.alloc(4096, 0xa5));
  const manifest = join(work, 'cart-2.5.0.manifest.json');
  const build = (...extra: string[]) =>
    run(
      'ota',
      'build',
      '--data',
      data,
      '--version',
      '2.5.0',
      '--image',
      image,
      '--out',
      manifest,
      '--hardware',
      'revB',
      '--hardware',
      'revC',
      ...extra,
    );
  const verify = (...extra: string[]) =>
    run('ota', 'verify', '--data', data, '--manifest', manifest, '--image', image, ...extra);
  return { data, work, clock, run, image, manifest, build, verify };
}

describe('fleetplane ota build and verify', () => {
  it('are part of the fleetplane CLI', () => {
    const paths = allCommands.map((c) => c.path.join(' '));
    assert.ok(paths.includes('ota build'));
    assert.ok(paths.includes('ota verify'));
  });

  it('build signs a manifest that verify accepts, creating the signing key once and saying so', async (t) => {
    const c = await otaCli(t);
    const built = await c.build();
    assert.equal(built.code, 0, built.text);
    assert.match(built.stderr, /Created the firmware-signing key .*firmware-signing-key\.pem/);
    const keyFile = join(c.data, 'ota', 'firmware-signing-key.pem');
    assert.equal((await stat(keyFile)).mode & 0o777, 0o600);
    assert.match(
      await readFile(join(c.data, 'ota', 'firmware-signing-public.pem'), 'utf8'),
      /BEGIN PUBLIC KEY/,
    );

    const file = JSON.parse(await readFile(c.manifest, 'utf8')) as Record<string, unknown>;
    assert.equal(file['schema_version'], 1);
    assert.equal(file['type'], 'ota-signed-manifest');
    assert.match(String(file['signature']), /^[A-Za-z0-9+/]{86}==$/);
    const signed = JSON.parse(Buffer.from(String(file['signed']), 'base64').toString('utf8'));
    assert.deepEqual(file['manifest'], signed, 'the readable copy is what was signed');
    const issued = c.clock.now().getTime();
    assert.deepEqual(signed, {
      version: '2.5.0',
      device_class: 'cart',
      hardware_revisions: ['revB', 'revC'],
      size: 4096,
      sha256: createHash('sha256')
        .update(await readFile(c.image))
        .digest('hex'),
      issued_at: new Date(issued).toISOString(),
      expires_at: new Date(issued + 30 * DAY_MS).toISOString(),
      min_version: '2.0.0',
      ca_generation: 1,
    });

    const ok = await c.verify(
      '--now',
      new Date(issued + DAY_MS).toISOString(),
      '--hardware',
      'revC',
      '--ca-generations',
      '1',
    );
    assert.equal(ok.code, 0, ok.text);
    assert.equal(ok.stdout, 'ok 2.5.0');

    const again = await c.build('--version', '2.5.1');
    assert.equal(again.code, 0, again.text);
    assert.doesNotMatch(again.stderr, /Created/, 'the key exists: the second build reuses it');
  });

  it('verify refuses a tampered image, another key, an expired manifest and a downgrade, by code', async (t) => {
    const c = await otaCli(t);
    assert.equal((await c.build()).code, 0);
    const refused = async (code: string, ...extra: string[]) => {
      const r = await c.verify(...extra);
      assert.equal(r.code, 1, `${code}: ${r.text}`);
      assert.match(r.stderr, new RegExp(`\\[${code}\\]$`), r.text);
      assert.equal(r.stdout, '', 'nothing printed as ok');
      assert.ok((FIRMWARE_REJECT_CODES as readonly string[]).includes(code));
    };

    // One flipped byte, same size: the hash.
    const original = await readFile(c.image);
    const flipped = Buffer.from(original);
    flipped[100] = flipped[100]! ^ 0x01;
    await writeFile(c.image, flipped);
    await refused('hash');
    await writeFile(c.image, Buffer.concat([original, Buffer.from([0])]));
    await refused('size');
    await writeFile(c.image, original);
    assert.equal((await c.verify()).code, 0);

    // Expired: server time past expires-at (30 days); not yet valid: before issued-at.
    const issued = c.clock.now().getTime();
    await refused('expired', '--now', new Date(issued + 31 * DAY_MS).toISOString());
    await refused('not-yet-valid', '--now', String(issued - 60_000));
    // Downgrade: the device runs something as new or newer; below the floor (min 2.0.0 → 1.x).
    await refused('downgrade', '--installed', '2.5.0');
    await refused('downgrade', '--installed', '3.0.0');
    assert.equal((await c.verify('--installed', '2.4.9')).code, 0);
    // What the device is: another class, a hardware revision or a CA it does not have.
    await refused('device-class', '--device-class', 'tool');
    await refused('hardware', '--hardware', 'revA');
    await refused('ca-generation', '--ca-generations', '2');

    // The readable copy is not trusted: editing it changes nothing.
    const file = JSON.parse(await readFile(c.manifest, 'utf8')) as {
      manifest: { version: string };
    };
    file.manifest.version = '9.9.9';
    await writeFile(c.manifest, JSON.stringify(file));
    assert.equal((await c.verify()).stdout, 'ok 2.5.0');

    // Signed by another fleet's firmware key: the signature.
    const other = await otaCli(t);
    assert.equal((await other.build()).code, 0);
    const foreign = await c.run(
      'ota',
      'verify',
      '--data',
      c.data,
      '--manifest',
      other.manifest,
      '--image',
      other.image,
    );
    assert.equal(foreign.code, 1);
    assert.match(foreign.stderr, /\[signature\]$/);
    // Signed bytes altered after signing (a raised version): the signature as well.
    const mine = JSON.parse(await readFile(c.manifest, 'utf8')) as Record<string, string>;
    const altered = Buffer.from(mine['signed']!, 'base64')
      .toString('utf8')
      .replace('"version":"2.5.0"', '"version":"2.6.0"');
    assert.match(altered, /2\.6\.0/);
    await writeFile(
      c.manifest,
      JSON.stringify({ ...mine, signed: Buffer.from(altered).toString('base64') }),
    );
    await refused('signature');
  });

  it('build: bad flags are usage errors (exit 2), a missing image or CA a failure (exit 1)', async (t) => {
    const c = await otaCli(t);
    const usage = async (...argv: string[]) => {
      const r = await c.run(...argv);
      assert.equal(r.code, 2, r.text);
      assert.match(r.stderr, /usage: fleetplane ota/);
      return r.stderr;
    };
    const base = ['ota', 'build', '--data', c.data, '--image', c.image, '--out', c.manifest];
    assert.match(await usage(...base, '--hardware', 'revB'), /--version is required/);
    assert.match(await usage(...base, '--version', '2.5.0'), /--hardware is required/);
    assert.match(
      await usage(...base, '--version', 'v2.5', '--hardware', 'revB'),
      /--version must be/,
    );
    assert.match(
      await c.build('--device-class', 'toaster').then((r) => r.stderr),
      /--device-class must be one of/,
    );
    assert.equal((await c.build('--valid-days', '0')).code, 2);
    assert.equal((await c.build('--bogus')).code, 2);

    const belowFloor = await c.build('--min-version', '2.6.0');
    assert.equal(belowFloor.code, 1);
    assert.match(
      belowFloor.stderr,
      /min_version 2.6.0 is above version 2.5.0 \[invalid-manifest\]/,
    );

    const missing = await c.run(
      'ota',
      'build',
      '--data',
      c.data,
      '--version',
      '2.5.0',
      '--image',
      join(c.work, 'nope.bin'),
      '--out',
      c.manifest,
      '--hardware',
      'revB',
    );
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read the image .*nope\.bin \(ENOENT\) \[image-missing\]/);

    const noCa = await otaCli(t, { ca: false });
    const refused = await noCa.build('--ca-generation', '3');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /not a fleetplane data directory.*ca init.*\[no-data-dir\]/);
  });

  it('verify without a signing key in DIR fails and creates none', async (t) => {
    const c = await otaCli(t);
    const r = await c.verify();
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\[no-signing-key\]/);
    await assert.rejects(stat(join(c.data, 'ota', 'firmware-signing-key.pem')));
  });
});
