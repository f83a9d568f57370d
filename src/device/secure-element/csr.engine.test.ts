import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openssl, requireOpenssl } from '../../../test-support/openssl.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { SoftwareKeystore } from './software-keystore.js';

describe('device CSR (openssl)', () => {
  it('is a PKCS#10 request whose self-signature openssl verifies', async (t) => {
    if (!requireOpenssl(t)) return;
    const dir = await tempDir(t);
    const keystore = await SoftwareKeystore.create(dir);
    const path = join(dir, 'device.csr.pem');
    await writeFile(path, await keystore.createCsr({ commonName: 'SN-0001' }));
    const result = openssl(['req', '-in', path, '-noout', '-verify', '-subject', '-text']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(
      result.stdout + result.stderr,
      /verify OK|Certificate request self-signature verify OK/,
    );
    assert.match(result.stdout, /CN\s*=\s*SN-0001/);
    assert.match(result.stdout, /prime256v1/);
  });
});
