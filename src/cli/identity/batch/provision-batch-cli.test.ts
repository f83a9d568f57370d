import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ready, snapshot } from '../../../../test-support/cli.js';
import type { DeviceId } from '../../../contract/ids.js';
import { admitDevice, openIdentity } from '../../../edge/identity/index.js';

const FILES = ['chain.pem', 'device.cert.pem', 'device.json', 'device.key.pem', 'trust.pem'];

async function manifestRows(out: string): Promise<string[][]> {
  const text = await readFile(join(out, 'manifest.csv'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((l) => l.split(','));
}

describe('provision --batch', () => {
  it('issues a numbered batch: files per device, a manifest, registry records like provision', async (t) => {
    const { data, work, run, provision } = await ready(t);
    const out = join(work, 'run-1');
    const argv = ['provision', '--data', data, '--store', 'berlin-1', '--out', out];
    const batch = await run(...argv, '--batch', '3', '--prefix', 'CC-', '--class', 'coldchain');
    assert.equal(batch.code, 0, batch.text);
    assert.match(batch.text, /Provisioned 3 of 3 devices \(store berlin-1\)/);
    assert.deepEqual((await readdir(out)).sort(), [
      'CC-0001',
      'CC-0002',
      'CC-0003',
      'manifest.csv',
    ]);

    const rows = await manifestRows(out);
    assert.deepEqual(rows[0], [
      'serial',
      'class',
      'store',
      'fingerprint_sha256',
      'not_after',
      'cert_serial',
    ]);
    assert.deepEqual(
      rows
        .slice(1)
        .map((r) => r[0])
        .sort(),
      ['CC-0001', 'CC-0002', 'CC-0003'],
    );
    const ctx = openIdentity(data);
    for (const row of rows.slice(1)) {
      const [serial, deviceClass, store, fingerprint, notAfter] = row as [
        string,
        string,
        string,
        string,
        string,
      ];
      const dir = join(out, serial);
      assert.deepEqual((await readdir(dir)).sort(), FILES);
      const record = await ctx.devices.get(serial as DeviceId);
      assert.ok(record, `${serial} is registered`);
      assert.deepEqual(
        [record.class, record.store, record.status, record.how, record.certificate.fingerprint256],
        [deviceClass, store, 'active', 'provisioned', fingerprint],
      );
      assert.equal(record.certificate.not_after, notAfter);
      assert.equal(await readFile(join(dir, 'device.cert.pem'), 'utf8'), record.certificate.pem);
      const json = JSON.parse(await readFile(join(dir, 'device.json'), 'utf8'));
      assert.deepEqual([json.serial, json.class, json.registered], [serial, 'coldchain', true]);
      const chain = record.certificate.pem + (await readFile(join(dir, 'chain.pem'), 'utf8'));
      const admitted = await admitDevice(ctx, chain, { now: new Date('2026-06-02T00:00:00Z') });
      assert.equal(admitted.deviceId, serial);
    }

    // The record a batch writes has the shape single provisioning writes.
    assert.equal((await provision('SN-1', join(work, 'one'))).code, 0);
    const single = await ctx.devices.get('SN-1' as DeviceId);
    const batched = await ctx.devices.get('CC-0001' as DeviceId);
    assert.deepEqual(Object.keys(batched!).sort(), Object.keys(single!).sort());
  });

  it('refuses serials already registered by name, and issues nothing for them', async (t) => {
    const { data, work, run, provision } = await ready(t);
    assert.equal((await provision('LINE-0002', join(work, 'single'))).code, 0);
    const csv = join(work, 'serials.csv');
    await writeFile(csv, 'serial\nLINE-0001\nLINE-0002\nLINE-0003\n');
    const out = join(work, 'run');
    const argv = [
      'provision',
      '--data',
      data,
      '--store',
      'berlin-1',
      '--out',
      out,
      '--serials',
      csv,
    ];
    const first = await run(...argv);
    assert.equal(first.code, 1, first.text);
    assert.match(first.text, /refused LINE-0002: already registered \(store berlin-1, class cart/);
    assert.match(first.text, /Provisioned 2 of 3 devices/);
    assert.deepEqual((await readdir(out)).sort(), ['LINE-0001', 'LINE-0003', 'manifest.csv']);

    const before = { data: await snapshot(data), out: await snapshot(out) };
    const again = await run(...argv);
    assert.equal(again.code, 1);
    assert.match(
      again.text,
      /3 serial\(s\) refused because they are already registered: LINE-0001, LINE-0002, LINE-0003/,
    );
    assert.deepEqual({ data: await snapshot(data), out: await snapshot(out) }, before);
  });

  it('a run cut off after the files and manifest line registers the certificate it issued', async (t) => {
    const { data, work, run } = await ready(t);
    const out = join(work, 'run');
    const argv = [
      'provision',
      '--data',
      data,
      '--store',
      'berlin-1',
      '--out',
      out,
      '--batch',
      '3',
      '--prefix',
      'R-',
    ];
    assert.equal((await run(...argv)).code, 0);
    // What a crash between the manifest line and the registry record leaves: no record for R-0002.
    const ctx = openIdentity(data);
    await rm(ctx.layout.device('R-0002' as DeviceId));
    const manifestBefore = await readFile(join(out, 'manifest.csv'), 'utf8');
    const certBefore = await readFile(join(out, 'R-0002', 'device.cert.pem'), 'utf8');

    const again = await run(...argv);
    assert.equal(again.code, 1, again.text);
    assert.match(again.text, /Provisioned 1 of 3 devices/);
    assert.match(again.text, /refused because they are already registered: R-0001, R-0003$/m);
    const record = await ctx.devices.get('R-0002' as DeviceId);
    assert.equal(record?.certificate.pem, certBefore, 'no second certificate was issued');
    assert.equal(await readFile(join(out, 'manifest.csv'), 'utf8'), manifestBefore);
  });

  it('a run cut off while a device directory was written completes that device', async (t) => {
    const { data, work, run } = await ready(t);
    const out = join(work, 'run');
    const argv = ['provision', '--data', data, '--store', 'berlin-1', '--out', out];
    assert.equal((await run(...argv, '--batch', '3', '--prefix', 'C-')).code, 0);
    // What a crash before the directory sync can leave: a torn chain.pem, no device.json, no
    // manifest line and no record for C-0002.
    const ctx = openIdentity(data);
    await rm(ctx.layout.device('C-0002' as DeviceId));
    await rm(join(out, 'C-0002', 'device.json'));
    await rm(join(out, 'C-0002', 'chain.pem'));
    await writeFile(join(out, 'C-0002', 'chain.pem'), '-----BEGIN CERT');
    const manifest = await readFile(join(out, 'manifest.csv'), 'utf8');
    const line = manifest.split('\n').find((l) => l.startsWith('C-0002,'))!;
    await writeFile(join(out, 'manifest.csv'), manifest.replace(line + '\n', ''));
    const certBefore = await readFile(join(out, 'C-0002', 'device.cert.pem'), 'utf8');

    const again = await run(...argv, '--batch', '3', '--prefix', 'C-');
    assert.equal(again.code, 1, again.text);
    assert.match(again.text, /Provisioned 1 of 3 devices/);
    assert.equal((await ctx.devices.get('C-0002' as DeviceId))?.certificate.pem, certBefore);
    assert.deepEqual((await readdir(join(out, 'C-0002'))).sort(), FILES);
    assert.equal(
      await readFile(join(out, 'C-0002', 'chain.pem'), 'utf8'),
      await readFile(join(out, 'C-0001', 'chain.pem'), 'utf8'),
    );
    const json = JSON.parse(await readFile(join(out, 'C-0002', 'device.json'), 'utf8'));
    assert.equal(json.registered, true);
    const rows = (await manifestRows(out)).filter((r) => r[0] === 'C-0002');
    assert.deepEqual(rows, [line.split(',')]);
  });

  it('refuses a bad CSV line with its line number, before issuing anything', async (t) => {
    const { data, work, run } = await ready(t);
    const csv = join(work, 'serials.csv');
    await writeFile(csv, 'serial\nOK-1\nnot a serial\n');
    const out = join(work, 'run');
    const result = await run(
      'provision',
      '--data',
      data,
      '--store',
      'berlin-1',
      '--out',
      out,
      '--serials',
      csv,
    );
    assert.equal(result.code, 2);
    assert.match(result.text, /serials\.csv line 3: 'not a serial' is not a valid serial/);
    assert.match(result.text, /usage: fleetplane provision/);
    assert.deepEqual(await readdir(work), ['serials.csv']);
  });

  it('bad flags give a usage hint (exit 2)', async (t) => {
    const { data, work, run } = await ready(t);
    const base = ['provision', '--data', data, '--store', 'berlin-1', '--out', join(work, 'o')];
    const cases: [string[], RegExp][] = [
      [['--batch', '3'], /--batch N needs --prefix P/],
      [['--batch', 'many', '--prefix', 'A'], /--batch must be a whole number, got 'many'/],
      [['--batch', '0', '--prefix', 'A'], /--batch must be between 1 and/],
      [['--batch', '2', '--prefix', 'A', '--serial', 'X'], /--serial is for one device/],
      [
        ['--batch', '2', '--prefix', 'A', '--serials', 'f.csv'],
        /either --serials FILE\.csv or --batch N/,
      ],
      [['--batch', '2', '--prefix', 'A', '--concurrency', '0'], /--concurrency must be at least 1/],
      [['--prefix', 'A'], /--prefix belongs to a batch/],
      [
        ['--serials', join(work, 'missing.csv')],
        /--serials: cannot read .*missing\.csv \(ENOENT\)/,
      ],
    ];
    for (const [extra, message] of cases) {
      const result = await run(...base, ...extra);
      assert.equal(result.code, 2, `${extra.join(' ')}: ${result.text}`);
      assert.match(result.text, message);
      assert.match(result.text, /usage: fleetplane provision/);
    }
    assert.deepEqual(await readdir(work), [], 'nothing was written');
  });
});
