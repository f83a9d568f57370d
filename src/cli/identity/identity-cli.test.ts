import assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { TestClock } from '../../../test-support/identity.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { SoftwareKeystore } from '../../device/secure-element/software-keystore.js';
import { admitDevice, openIdentity } from '../../identity/index.js';
import type { CommandIo } from '../command.js';
import { allCommands } from '../commands.js';
import { main } from '../main.js';
import { identityCommands } from './index.js';

function capture(): CommandIo & { stdout: string[]; stderr: string[]; text(): string } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (l) => stdout.push(l),
    err: (l) => stderr.push(l),
    text: () => [...stdout, ...stderr].join('\n'),
  };
}

async function cli(t: TestContext) {
  const data = await tempDir(t);
  const work = await tempDir(t);
  const clock = new TestClock();
  const commands = identityCommands({ now: clock.now });
  const run = async (...argv: string[]) => {
    const io = capture();
    const code = await main(argv, io, commands);
    return { code, io, text: io.text() };
  };
  return { data, work, clock, run };
}

/** A data dir with a CA and the store 'berlin-1'. */
async function ready(t: TestContext) {
  const c = await cli(t);
  assert.equal((await c.run('ca', 'init', '--data', c.data)).code, 0);
  const add = await c.run(
    'store',
    'add',
    '--data',
    c.data,
    '--id',
    'berlin-1',
    '--name',
    'Berlin 1',
  );
  assert.equal(add.code, 0, add.text);
  return c;
}

/** Every file under a directory with its content: "same state" means this is equal. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true })) {
    const path = join(dir, String(entry));
    if ((await stat(path)).isFile()) out[String(entry)] = await readFile(path, 'utf8');
  }
  return out;
}

describe('identity commands', () => {
  it('are part of the fleetplane CLI', () => {
    const paths = allCommands.map((c) => c.path.join(' '));
    for (const p of [
      'ca init',
      'ca rotate',
      'ca status',
      'store add',
      'store list',
      'provision',
      'revoke',
    ]) {
      assert.ok(paths.includes(p), p);
    }
  });

  it('ca init twice: the second reports the CA and changes nothing', async (t) => {
    const { data, run } = await cli(t);
    const first = await run('ca', 'init', '--data', data);
    assert.equal(first.code, 0);
    assert.match(first.text, /Created fleet CA generation 1/);
    const before = await snapshot(data);
    const second = await run('ca', 'init', '--data', data);
    assert.equal(second.code, 0);
    assert.match(second.text, /already initialised.*nothing changed/);
    assert.deepEqual(await snapshot(data), before);
  });

  it('store add twice is fine; a conflicting add exits 1', async (t) => {
    const { data, run } = await cli(t);
    const args = ['store', 'add', '--data', data, '--id', 's1', '--name', 'One', '--region', 'eu'];
    assert.equal((await run(...args)).code, 0);
    const before = await snapshot(data);
    const again = await run(...args);
    assert.equal(again.code, 0);
    assert.match(again.text, /already exists; nothing changed/);
    assert.deepEqual(await snapshot(data), before);
    const conflict = await run('store', 'add', '--data', data, '--id', 's1', '--name', 'Two');
    assert.equal(conflict.code, 1);
    assert.match(conflict.text, /\[store-conflict\]/);
    const list = await run('store', 'list', '--data', data);
    assert.match(list.text, /^s1\s+eu\s+-\s+One$/m);
  });

  it('exits 2 for a bad flag or value and 1 for an unknown store, with one sentence and no stack', async (t) => {
    const { data, work, run } = await ready(t);
    const out = join(work, 'out');
    const badFlag = await run(
      'provision',
      '--data',
      data,
      '--serial',
      'SN-1',
      '--store',
      'berlin-1',
      '--out',
      out,
      '--colour',
      'red',
    );
    assert.equal(badFlag.code, 2);
    assert.match(badFlag.text, /usage: fleetplane provision/);
    assert.equal(
      (await run('store', 'add', '--data', data, '--id', 'x', '--name', 'X', '--region', 'mars'))
        .code,
      2,
    );
    assert.equal((await run('ca', 'rotate', '--data', data, '--overlap-days', 'soon')).code, 2);
    assert.equal(
      (await run('revoke', '--data', data, '--serial', 'SN-1', '--reason', 'boredom')).code,
      2,
    );

    const unknown = await run(
      'provision',
      '--data',
      data,
      '--serial',
      'SN-1',
      '--store',
      'nowhere',
      '--class',
      'cart',
      '--out',
      out,
    );
    assert.equal(unknown.code, 1);
    assert.equal(unknown.io.stderr.length, 1);
    assert.match(unknown.io.stderr[0]!, /store 'nowhere' is not known.*\[unknown-store\]$/);
    assert.doesNotMatch(unknown.text, /\n\s+at /);
    assert.deepEqual(await readdir(work), [], 'a refused request leaves no key behind');

    const invalid = await run(
      'provision',
      '--data',
      data,
      '--serial',
      '../etc',
      '--store',
      'berlin-1',
      '--class',
      'cart',
      '--out',
      out,
    );
    assert.equal(invalid.code, 1);
    assert.match(invalid.text, /\[invalid-serial\]/);
  });

  it('tells the operator to run ca init when there is no CA', async (t) => {
    const { data, work, run } = await cli(t);
    await run('store', 'add', '--data', data, '--id', 'berlin-1', '--name', 'Berlin 1');
    const result = await run(
      'provision',
      '--data',
      data,
      '--serial',
      'SN-1',
      '--store',
      'berlin-1',
      '--class',
      'cart',
      '--out',
      join(work, 'o'),
    );
    assert.equal(result.code, 1);
    assert.match(result.text, /fleetplane ca init.*\[ca-not-initialised\]/);
    assert.equal((await run('ca', 'status', '--data', data)).code, 1);
  });

  it('provisions a device with a software key and writes what the device needs', async (t) => {
    const { data, work, run } = await ready(t);
    const out = join(work, 'dev');
    const result = await run(
      'provision',
      '--data',
      data,
      '--serial',
      'SN-1',
      '--store',
      'berlin-1',
      '--class',
      'cart',
      '--out',
      out,
    );
    assert.equal(result.code, 0, result.text);
    assert.match(result.text, /Provisioned SN-1 \(store berlin-1, class cart\)/);
    assert.deepEqual((await readdir(out)).sort(), [
      'chain.pem',
      'device.cert.pem',
      'device.json',
      'device.key.pem',
      'trust.pem',
    ]);
    assert.equal((await stat(join(out, 'device.key.pem'))).mode & 0o777, 0o600);
    const json = JSON.parse(await readFile(join(out, 'device.json'), 'utf8'));
    assert.deepEqual(
      [json.serial, json.store, json.class, json.generation],
      ['SN-1', 'berlin-1', 'cart', 1],
    );

    // The certificate is for the key in the keystore, and the platform admits it.
    const ctx = openIdentity(data);
    const chain =
      (await readFile(join(out, 'device.cert.pem'), 'utf8')) +
      (await readFile(join(out, 'chain.pem'), 'utf8'));
    const admitted = await admitDevice(ctx, chain, { now: new Date('2026-06-02T00:00:00Z') });
    const keystore = await SoftwareKeystore.open(out);
    assert.deepEqual(
      new Uint8Array(admitted.publicKey.export({ format: 'der', type: 'spki' })),
      keystore?.publicKeySpki(),
    );
  });

  it('provision twice changes nothing; another key for the serial is a duplicate', async (t) => {
    const { data, work, run } = await ready(t);
    const out = join(work, 'dev');
    const args = [
      'provision',
      '--data',
      data,
      '--serial',
      'SN-1',
      '--store',
      'berlin-1',
      '--class',
      'cart',
      '--out',
      out,
    ];
    assert.equal((await run(...args)).code, 0);
    const before = { data: await snapshot(data), out: await snapshot(out) };
    const again = await run(...args);
    assert.equal(again.code, 0);
    assert.match(again.text, /already provisioned with this key; nothing changed/);
    assert.deepEqual({ data: await snapshot(data), out: await snapshot(out) }, before);

    const elsewhere = await run(
      'provision',
      '--data',
      data,
      '--serial',
      'SN-1',
      '--store',
      'berlin-1',
      '--out',
      join(work, 'other'),
    );
    assert.equal(elsewhere.code, 1);
    assert.match(elsewhere.text, /--renew.*\[duplicate-serial\]/);
    assert.deepEqual(await readdir(work), ['dev'], 'no key was made for the refused request');
  });

  it('provisions from a secure element CSR without writing a key, and repeats idempotently', async (t) => {
    const { data, work, run } = await ready(t);
    const element = await SoftwareKeystore.create(join(work, 'chip'));
    const csrFile = join(work, 'device.csr');
    await writeFile(csrFile, await element.createCsr({ commonName: 'SN-9' }));
    const out = join(work, 'out');
    const args = [
      'provision',
      '--data',
      data,
      '--serial',
      'SN-9',
      '--store',
      'berlin-1',
      '--class',
      'tool',
      '--csr',
      csrFile,
      '--out',
      out,
    ];
    const first = await run(...args);
    assert.equal(first.code, 0, first.text);
    assert.doesNotMatch(first.text, /device\.key\.pem/);
    assert.deepEqual((await readdir(out)).sort(), [
      'chain.pem',
      'device.cert.pem',
      'device.json',
      'trust.pem',
    ]);
    const again = await run(...args);
    assert.equal(again.code, 0);
    assert.match(again.text, /nothing changed/);

    await writeFile(csrFile, 'garbage');
    const bad = await run(
      'provision',
      '--data',
      data,
      '--serial',
      'SN-10',
      '--store',
      'berlin-1',
      '--class',
      'tool',
      '--csr',
      csrFile,
      '--out',
      join(work, 'x'),
    );
    assert.equal(bad.code, 1);
    assert.match(bad.text, /\[malformed-csr\]/);
    const missing = await run(
      'provision',
      '--data',
      data,
      '--serial',
      'SN-10',
      '--store',
      'berlin-1',
      '--class',
      'tool',
      '--csr',
      join(work, 'nope'),
      '--out',
      join(work, 'x'),
    );
    assert.equal(missing.code, 2);
  });

  it('rotate, then --renew moves a device to G2 with a new key; a second rotate is refused politely', async (t) => {
    const { data, work, run, clock } = await ready(t);
    const out = join(work, 'dev');
    await run(
      'provision',
      '--data',
      data,
      '--serial',
      'SN-1',
      '--store',
      'berlin-1',
      '--class',
      'cart',
      '--out',
      out,
    );
    const oldKey = await readFile(join(out, 'device.key.pem'), 'utf8');

    const rotated = await run('ca', 'rotate', '--data', data, '--overlap-days', '30');
    assert.equal(rotated.code, 0);
    assert.match(rotated.text, /generation 2 issues/);
    const refused = await run('ca', 'rotate', '--data', data);
    assert.equal(refused.code, 0);
    assert.match(refused.text, /Not rotated.*G1 until 2026-07-01/);

    const renewed = await run(
      'provision',
      '--data',
      data,
      '--serial',
      'SN-1',
      '--store',
      'berlin-1',
      '--out',
      out,
      '--renew',
    );
    assert.equal(renewed.code, 0, renewed.text);
    assert.match(renewed.text, /Renewed SN-1.*generation 2/);
    assert.notEqual(await readFile(join(out, 'device.key.pem'), 'utf8'), oldKey);
    assert.deepEqual((await readdir(out)).sort(), [
      'chain.pem',
      'device.cert.pem',
      'device.json',
      'device.key.pem',
      'trust.pem',
    ]);
    assert.equal(JSON.parse(await readFile(join(out, 'device.json'), 'utf8')).generation, 2);

    const status = await run('ca', 'status', '--data', data);
    assert.match(status.text, /G1\s+trusted\s+trusted until 2026-07-01/);
    assert.match(status.text, /G2\s+issues/);
    clock.advanceDays(31);
    assert.match(
      (await run('ca', 'status', '--data', data)).text,
      /G1\s+retired\s+untrusted since 2026-07-01/,
    );
    assert.match((await run('ca', 'rotate', '--data', data)).text, /generation 3 issues/);
  });

  it('revoke twice: the second reports the first revocation and changes nothing', async (t) => {
    const { data, work, run, clock } = await ready(t);
    await run(
      'provision',
      '--data',
      data,
      '--serial',
      'SN-1',
      '--store',
      'berlin-1',
      '--class',
      'cart',
      '--out',
      join(work, 'dev'),
    );
    const first = await run(
      'revoke',
      '--data',
      data,
      '--serial',
      'SN-1',
      '--reason',
      'keyCompromise',
    );
    assert.equal(first.code, 0, first.text);
    assert.match(first.text, /Revoked SN-1 \(1 certificate, reason keyCompromise\)/);
    const before = await snapshot(data);
    clock.advanceDays(1);
    const again = await run('revoke', '--data', data, '--serial', 'SN-1');
    assert.equal(again.code, 0);
    assert.match(again.text, /already revoked at 2026-06-01T12:00:00.000Z; nothing changed/);
    assert.deepEqual(await snapshot(data), before);
    const unknown = await run('revoke', '--data', data, '--serial', 'SN-404');
    assert.equal(unknown.code, 1);
    assert.match(unknown.text, /\[unknown-device\]/);
  });
});
