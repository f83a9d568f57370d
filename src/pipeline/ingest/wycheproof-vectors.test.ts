import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createPublicKey } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { verifyBody } from '../../contract/index.js';
import {
  InlineVerifier,
  WorkerVerifierPool,
  type SignatureVerifier,
} from './signature-verifier.js';

interface Vector {
  readonly tcId: number;
  readonly comment: string;
  readonly msg: string;
  readonly sig: string;
  readonly result: 'valid' | 'invalid' | 'acceptable';
}
interface Group {
  readonly publicKeyDer: string;
  readonly sha: string;
  readonly tests: readonly Vector[];
}

const file = JSON.parse(
  readFileSync(
    new URL('./fixtures/wycheproof/ecdsa_secp256r1_sha256_p1363_test.json', import.meta.url),
    'utf8',
  ),
) as { algorithm: string; numberOfTests: number; testGroups: readonly Group[] };

const cases = file.testGroups.flatMap((group) =>
  group.tests.map((t) => ({
    ...t,
    spki: Buffer.from(group.publicKeyDer, 'hex').toString('base64'),
    body: Buffer.from(t.msg, 'hex'),
    signature: Buffer.from(t.sig, 'hex'),
  })),
);

function expectation(t: Vector): boolean {
  // "acceptable" vectors would be a policy choice; this file has none, and a new copy with some
  // must make someone decide rather than pass silently.
  assert.notEqual(t.result, 'acceptable', `tcId ${t.tcId}: decide what "acceptable" means`);
  return t.result === 'valid';
}

async function mismatches(verifier: SignatureVerifier): Promise<string[]> {
  const got = await Promise.all(
    cases.map((c) =>
      verifier.verify({ publicKeySpki: c.spki, body: c.body, signature: c.signature }),
    ),
  );
  return cases
    .filter((c, i) => got[i] !== expectation(c))
    .map((c) => `tcId ${c.tcId} (${c.comment}): expected ${c.result}`);
}

describe("Wycheproof's ECDSA P-256 SHA-256 P1363 vectors", () => {
  const pool = new WorkerVerifierPool(2);
  after(() => pool.close());

  it('covers the whole published file, valid and invalid vectors alike', () => {
    assert.equal(file.algorithm, 'ECDSA');
    assert.equal(cases.length, file.numberOfTests);
    assert.ok(cases.some((c) => c.result === 'valid'));
    assert.ok(cases.some((c) => c.result === 'invalid'));
    assert.ok(file.testGroups.every((g) => g.sha === 'SHA-256'));
  });

  it("ingest's worker pool accepts every valid vector and refuses every invalid one", async () => {
    assert.deepEqual(await mismatches(pool), []);
  });

  it("ingest's inline verifier agrees with every vector", async () => {
    assert.deepEqual(await mismatches(new InlineVerifier()), []);
  });

  it("the contract's verifyBody (OTA manifests, firmware) agrees with every vector, never throwing", () => {
    const wrong: string[] = [];
    for (const c of cases) {
      const key = createPublicKey({
        key: Buffer.from(c.spki, 'base64'),
        format: 'der',
        type: 'spki',
      });
      let ok: boolean;
      try {
        ok = verifyBody(c.body, c.signature, key);
      } catch (error) {
        wrong.push(`tcId ${c.tcId}: threw ${String(error)}`);
        continue;
      }
      if (ok !== expectation(c)) wrong.push(`tcId ${c.tcId} (${c.comment}): expected ${c.result}`);
    }
    assert.deepEqual(wrong, []);
  });
});
