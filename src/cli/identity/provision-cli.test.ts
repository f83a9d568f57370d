import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ready, snapshot } from '../../../test-support/cli.js';
import { SoftwareKeystore } from '../../device/secure-element/software-keystore.js';
import { admitDevice, openIdentity } from '../../edge/identity/index.js';

describe('provision and revoke commands', () => {
  it('provisions a device with a software key and writes what the device needs', async (t) => {
    const { data, work, provision } = await ready(t);
    const out = join(work, 'dev');
    const result = await provision('SN-1', out, '--class', 'cart');
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
    const { data, work, run, clock, provision } = await ready(t);
    const out = join(work, 'dev');
    await provision('SN-1', out, '--class', 'cart');
    const oldKey = await readFile(join(out, 'device.key.pem'), 'utf8');

    const rotated = await run('ca', 'rotate', '--data', data, '--overlap-days', '30');
    assert.equal(rotated.code, 0);
    assert.match(rotated.text, /generation 2 issues/);
    const refused = await run('ca', 'rotate', '--data', data);
    assert.equal(refused.code, 0);
    assert.match(refused.text, /Not rotated.*G1 until 2026-07-01/);

    const renewed = await provision('SN-1', out, '--renew');
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
