import assert from 'node:assert/strict';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../../test-support/temp-dir.js';
import type { DeviceClass, DeviceId, StoreId } from '../../../contract/ids.js';
import type { ProvisionResult } from '../../../edge/identity/index.js';
import { provisionOutputFiles } from '../provision-output.js';
import { DeviceDirectoryWriter } from './device-directory.js';

// What provisionOutputFiles reads of a result; the certificate's text is not parsed here.
function result(serial: string, trustPem = 'TRUST\n'): ProvisionResult {
  const at = new Date('2026-06-01T12:00:00Z');
  return {
    outcome: 'issued',
    certificatePem: `CERT ${serial}\n`,
    info: {
      deviceId: serial as DeviceId,
      storeId: 'store-1' as StoreId,
      deviceClass: 'cart' as DeviceClass,
      certSerialHex: '01',
      fingerprint256: 'AB',
      notBefore: at,
      notAfter: at,
      publicKeySpki: Buffer.of(1),
    },
    generation: 1,
    chainPem: 'CHAIN\n',
    trustPem,
  };
}

async function contents(dir: string): Promise<Record<string, string>> {
  const entries: Record<string, string> = {};
  for (const name of ['device.cert.pem', 'chain.pem', 'trust.pem', 'device.json']) {
    entries[name] = await readFile(join(dir, name), 'utf8');
  }
  return entries;
}

describe('DeviceDirectoryWriter', () => {
  it('writes what provision writes; new directories share one chain.pem and trust.pem', async (t) => {
    const out = await tempDir(t);
    const writer = new DeviceDirectoryWriter();
    const serials = ['D-1', 'D-2', 'D-3'];
    await Promise.all(
      serials.map(async (s) => {
        await mkdir(join(out, s));
        await writer.write(join(out, s), result(s), { fresh: true });
      }),
    );
    for (const s of serials) {
      assert.deepEqual(
        await contents(join(out, s)),
        Object.fromEntries(provisionOutputFiles(result(s))),
      );
    }
    for (const name of ['chain.pem', 'trust.pem']) {
      const inodes = await Promise.all(
        serials.map(async (s) => (await stat(join(out, s, name))).ino),
      );
      assert.equal(new Set(inodes).size, 1, `${name} is one file`);
    }
    const certs = await Promise.all(
      serials.map(async (s) => (await stat(join(out, s, 'device.cert.pem'))).ino),
    );
    assert.equal(new Set(certs).size, 3);
  });

  it('links only to a copy with the same content', async (t) => {
    const out = await tempDir(t);
    const writer = new DeviceDirectoryWriter();
    for (const [s, trust] of [
      ['E-1', 'TRUST A\n'],
      ['E-2', 'TRUST B\n'],
    ] as const) {
      await mkdir(join(out, s));
      await writer.write(join(out, s), result(s, trust), { fresh: true });
      assert.equal(await readFile(join(out, s, 'trust.pem'), 'utf8'), trust);
    }
  });

  it('replaces a file found in a new directory, and compares in an old one', async (t) => {
    const out = await tempDir(t);
    const writer = new DeviceDirectoryWriter();
    const dir = join(out, 'F-1');
    await mkdir(dir);
    await writeFile(join(dir, 'device.json'), 'left by hand');
    await writer.write(dir, result('F-1'), { fresh: true });
    assert.deepEqual(await contents(dir), Object.fromEntries(provisionOutputFiles(result('F-1'))));

    await writeFile(join(dir, 'chain.pem'), 'torn');
    const untouched = (await stat(join(dir, 'device.cert.pem'))).mtimeMs;
    await writer.write(dir, result('F-1'), { fresh: false });
    assert.equal(await readFile(join(dir, 'chain.pem'), 'utf8'), 'CHAIN\n');
    assert.equal((await stat(join(dir, 'device.cert.pem'))).mtimeMs, untouched);
  });
});
