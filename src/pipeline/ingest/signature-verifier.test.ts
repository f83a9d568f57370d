import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  InlineVerifier,
  WorkerVerifierPool,
  type SignatureVerifier,
} from './signature-verifier.js';

function signer() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  const signed = (text: string) => {
    const body = Buffer.from(text);
    return {
      publicKeySpki: spki,
      body,
      signature: sign('sha256', body, { key: privateKey, dsaEncoding: 'ieee-p1363' }),
    };
  };
  return signed;
}

for (const [name, make] of [
  ['inline', () => new InlineVerifier()],
  ['worker pool', () => new WorkerVerifierPool(2)],
] as const) {
  describe(`${name} verifier`, () => {
    it('accepts good signatures and refuses forged, altered and garbage ones', async (t) => {
      const verifier: SignatureVerifier = make();
      t.after(() => verifier.close());
      const alice = signer();
      const mallory = signer();
      const good = alice('{"n":1}');
      const forged = { ...mallory('{"n":1}'), publicKeySpki: good.publicKeySpki };
      const altered = { ...good, body: Buffer.from('{"n":2}') };
      const garbage = { ...good, signature: new Uint8Array(64) };
      const badKey = { ...good, publicKeySpki: 'bm90IGEga2V5' };
      const results = await Promise.all(
        [good, forged, altered, garbage, badKey].map((r) => verifier.verify(r).catch(() => false)),
      );
      assert.deepEqual(results, [true, false, false, false, false]);
    });

    it('answers each of many concurrent requests with its own result', async (t) => {
      const verifier: SignatureVerifier = make();
      t.after(() => verifier.close());
      const alice = signer();
      const requests = Array.from({ length: 300 }, (_, i) => {
        const r = alice(`{"n":${i}}`);
        return i % 3 === 0 ? { ...r, body: Buffer.from('x') } : r;
      });
      const results = await Promise.all(requests.map((r) => verifier.verify(r).catch(() => false)));
      assert.deepEqual(
        results,
        requests.map((_, i) => i % 3 !== 0),
      );
    });
  });
}
