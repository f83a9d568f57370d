import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../../test-support/temp-dir.js';
import { dataLayout } from '../../../stores/data-dir/index.js';
import { initCa, loadFleetCa, rotateCa } from '../../../edge/identity/index.js';
import { loadFirmwareSigningKey, loadFirmwareSigningPublicKey } from './firmware-signing-key.js';
import { otaLayout } from './ota-layout.js';

const spki = (pem: string) =>
  createPublicKey(pem).export({ format: 'der', type: 'spki' }).toString('hex');

describe('the firmware-signing key', () => {
  it('is its own P-256 key under DIR/ota, not any key of the fleet CA, and stays out of DIR/ca', async (t) => {
    const dir = await tempDir(t);
    const layout = dataLayout(dir);
    await initCa(layout, new Date());
    await rotateCa(layout, { now: new Date() });
    const before = await readdir(layout.caDir, { recursive: true });

    const { key, created } = await loadFirmwareSigningKey(dir, { create: true });
    assert.equal(created, true);
    assert.equal(key.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    const firmware = spki(key.publicKeyPem);
    const ca = await loadFleetCa(layout);
    assert.equal(ca.generations.length, 2);
    for (const g of ca.generations) {
      for (const cert of [g.root, g.issuing]) {
        assert.notEqual(
          spki(cert.node.publicKey.export({ format: 'pem', type: 'spki' }).toString()),
          firmware,
        );
      }
    }
    assert.deepEqual(
      await readdir(layout.caDir, { recursive: true }),
      before,
      'nothing written under DIR/ca',
    );
    assert.equal((await stat(otaLayout(dir).signingKey)).mode & 0o777, 0o600);
  });

  it('is created only when asked, and loaded unchanged afterwards', async (t) => {
    const dir = await tempDir(t);
    await assert.rejects(loadFirmwareSigningKey(dir), { code: 'no-signing-key' });
    await assert.rejects(loadFirmwareSigningPublicKey(dir), { code: 'no-signing-key' });
    await assert.rejects(stat(otaLayout(dir).dir), 'nothing created without create');

    const first = await loadFirmwareSigningKey(dir, { create: true });
    const second = await loadFirmwareSigningKey(dir, { create: true });
    assert.equal(second.created, false);
    assert.equal(second.key.publicKeyPem, first.key.publicKeyPem);
    const publicOnly = await loadFirmwareSigningPublicKey(dir);
    assert.equal(
      spki(publicOnly.export({ format: 'pem', type: 'spki' }).toString()),
      spki(first.key.publicKeyPem),
    );
  });

  it('refuses a key file that is not ECDSA P-256', async (t) => {
    const dir = await tempDir(t);
    await loadFirmwareSigningKey(dir, { create: true });
    const ed = generateKeyPairSync('ed25519');
    await writeFile(
      otaLayout(dir).signingKey,
      ed.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    );
    await assert.rejects(loadFirmwareSigningKey(dir), { code: 'corrupt-signing-key' });
    await writeFile(join(otaLayout(dir).signingPublicKey), 'not a key');
    await assert.rejects(loadFirmwareSigningPublicKey(dir), { code: 'corrupt-signing-key' });
  });
});
