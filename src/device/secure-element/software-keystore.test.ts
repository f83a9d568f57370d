import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test-support/temp-dir.js';
import { isFailure } from '../../shared/failure.js';
import { DEVICE_KEY_FILE, SoftwareKeystore } from './software-keystore.js';

const spkiKey = (spki: Uint8Array) =>
  createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });

describe('SoftwareKeystore', () => {
  it('stores a new P-256 key as a private PKCS#8 file', async (t) => {
    const dir = await tempDir(t);
    const keystore = await SoftwareKeystore.create(dir);
    const path = join(dir, DEVICE_KEY_FILE);
    if (process.platform !== 'win32') assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal(spkiKey(keystore.publicKeySpki()).asymmetricKeyDetails?.namedCurve, 'prime256v1');
    const reopened = await SoftwareKeystore.open(dir);
    assert.deepEqual(reopened?.publicKeySpki(), keystore.publicKeySpki());
  });

  it('never overwrites an existing key', async (t) => {
    const dir = await tempDir(t);
    const first = await SoftwareKeystore.create(dir);
    await assert.rejects(
      SoftwareKeystore.create(dir),
      (e) => isFailure(e) && e.code === 'key-exists',
    );
    assert.deepEqual((await SoftwareKeystore.open(dir))?.publicKeySpki(), first.publicKeySpki());
  });

  it('finds no key in an empty directory', async (t) => {
    assert.equal(await SoftwareKeystore.open(await tempDir(t)), undefined);
  });

  it('refuses a key file that is not P-256', async (t) => {
    const dir = await tempDir(t);
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    await writeFile(
      join(dir, DEVICE_KEY_FILE),
      privateKey.export({ format: 'pem', type: 'pkcs8' }),
    );
    await assert.rejects(
      SoftwareKeystore.open(dir),
      (e) => isFailure(e) && e.code === 'wrong-key-type',
    );
  });

  it('signs with 64-byte r||s signatures that verify with its public key', async (t) => {
    const keystore = await SoftwareKeystore.create(await tempDir(t));
    const data = Buffer.from('telemetry frame');
    const signature = keystore.sign(data);
    assert.equal(signature.length, 64);
    const key = spkiKey(keystore.publicKeySpki());
    assert.ok(verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature));
    assert.ok(
      !verify('sha256', Buffer.from('other'), { key, dsaEncoding: 'ieee-p1363' }, signature),
    );
  });

  it('creates a CSR signed by its key and carrying its public key', async (t) => {
    const keystore = await SoftwareKeystore.create(await tempDir(t));
    const pem = await keystore.createCsr({ commonName: 'SN-0001' });
    assert.match(pem, /^-----BEGIN CERTIFICATE REQUEST-----\n/);
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const [request] = readDer(der, 0);
    const [info, , signatureBits] = children(request!);
    const spki = children(info!)[2]!;
    assert.deepEqual(new Uint8Array(spki.raw), keystore.publicKeySpki());
    assert.ok(der.includes(Buffer.from('SN-0001')));
    const signature = signatureBits!.content.subarray(1); // drop the unused-bits byte
    const key = spkiKey(keystore.publicKeySpki());
    assert.ok(verify('sha256', info!.raw, { key, dsaEncoding: 'der' }, signature));
  });

  it('keeps the current key until a replacement is committed', async (t) => {
    const dir = await tempDir(t);
    const current = await SoftwareKeystore.create(dir);
    const replacement = await SoftwareKeystore.createReplacement(dir);
    assert.notDeepEqual(replacement.publicKeySpki(), current.publicKeySpki());
    assert.deepEqual((await SoftwareKeystore.open(dir))?.publicKeySpki(), current.publicKeySpki());
    await replacement.commit();
    assert.deepEqual(
      (await SoftwareKeystore.open(dir))?.publicKeySpki(),
      replacement.publicKeySpki(),
    );
    assert.deepEqual(await readdir(dir), [DEVICE_KEY_FILE]);
  });

  it('leaves the current key in place when a replacement is discarded', async (t) => {
    const dir = await tempDir(t);
    const current = await SoftwareKeystore.create(dir);
    await (await SoftwareKeystore.createReplacement(dir)).discard();
    assert.deepEqual((await SoftwareKeystore.open(dir))?.publicKeySpki(), current.publicKeySpki());
    assert.deepEqual(await readdir(dir), [DEVICE_KEY_FILE]);
  });
});

interface Tlv {
  readonly raw: Buffer;
  readonly content: Buffer;
}

/** Just enough DER reading to take a CSR apart in a test. */
function readDer(buf: Buffer, offset: number): [Tlv, number] {
  let length = buf[offset + 1]!;
  let header = 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[offset + 2 + i]!;
    header += n;
  }
  const end = offset + header + length;
  return [{ raw: buf.subarray(offset, end), content: buf.subarray(offset + header, end) }, end];
}

function children(tlv: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let offset = 0; offset < tlv.content.length;) {
    const [child, next] = readDer(tlv.content, offset);
    out.push(child);
    offset = next;
  }
  return out;
}
