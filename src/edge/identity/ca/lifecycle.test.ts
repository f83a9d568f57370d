import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { TestClock, testFleet } from '../../../../test-support/identity.js';
import { tempDir } from '../../../../test-support/temp-dir.js';
import { dataLayout } from '../../../stores/data-dir/index.js';
import { isFailure } from '../../../shared/failure.js';
import { certificatesFromPem } from '../pem.js';
import { x509 } from '../x509.js';
import { loadFleetCa } from './fleet-ca.js';
import { caStatus, initCa, rotateCa } from './lifecycle.js';

const YEAR_MS = 365.25 * 24 * 60 * 60 * 1000;

describe('ca init', () => {
  it('creates a P-256 root (pathLen 1) and an issuing CA (pathLen 0) signed by it', async (t) => {
    const layout = dataLayout(await tempDir(t));
    const now = new Date('2026-06-01T00:00:00Z');
    const { created, ca } = await initCa(layout, now);
    assert.equal(created, true);
    const { root, issuing } = ca.newest;

    assert.equal(root.cert.subject, 'O=fleetplane, CN=fleetplane root G1');
    assert.equal(issuing.cert.issuer, root.cert.subject);
    const rootBc = root.cert.getExtension(x509.BasicConstraintsExtension);
    const issuingBc = issuing.cert.getExtension(x509.BasicConstraintsExtension);
    assert.deepEqual([rootBc?.ca, rootBc?.pathLength, rootBc?.critical], [true, 1, true]);
    assert.deepEqual([issuingBc?.ca, issuingBc?.pathLength], [true, 0]);
    for (const c of [root, issuing]) {
      const usage = c.cert.getExtension(x509.KeyUsagesExtension)?.usages ?? 0;
      assert.equal(usage, x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
      assert.equal(c.node.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    }
    assert.ok(issuing.node.verify(root.node.publicKey));
    const years = (c: typeof root) => (c.cert.notAfter.getTime() - now.getTime()) / YEAR_MS;
    assert.ok(Math.abs(years(root) - 20) < 0.01);
    assert.ok(Math.abs(years(issuing) - 5) < 0.01);
  });

  it('writes private keys with mode 0600 and the trust bundle, chain and CRL files', async (t) => {
    const layout = dataLayout(await tempDir(t));
    const { ca } = await initCa(layout, new Date());
    for (const file of ['root.key.pem', 'issuing.key.pem'] as const) {
      assert.equal((await stat(layout.generationFile(1, file))).mode & 0o777, 0o600);
    }
    const bundle = certificatesFromPem(await readFile(layout.trustBundle, 'utf8'));
    assert.deepEqual(
      bundle.map((c) => c.fingerprint256),
      [ca.newest.root.fingerprint256],
    );
    const chain = certificatesFromPem(await readFile(layout.chain(1), 'utf8'));
    assert.equal(chain[0]?.fingerprint256, ca.newest.issuing.fingerprint256);
    assert.equal((await readFile(layout.crl, 'utf8')).match(/BEGIN X509 CRL/g)?.length, 2);
  });

  it('reports the existing CA when run twice and changes nothing', async (t) => {
    const layout = dataLayout(await tempDir(t));
    const first = await initCa(layout, new Date());
    const bundle = await readFile(layout.trustBundle, 'utf8');
    const second = await initCa(layout, new Date());
    assert.equal(second.created, false);
    assert.equal(second.ca.newest.root.fingerprint256, first.ca.newest.root.fingerprint256);
    assert.equal(second.ca.generations.length, 1);
    assert.equal(await readFile(layout.trustBundle, 'utf8'), bundle);
  });

  it('creates one CA when two inits race', async (t) => {
    const layout = dataLayout(await tempDir(t));
    const results = await Promise.all([initCa(layout, new Date()), initCa(layout, new Date())]);
    assert.equal(
      results[0].ca.newest.root.fingerprint256,
      (await loadFleetCa(layout)).newest.root.fingerprint256,
    );
    assert.equal((await loadFleetCa(layout)).generations.length, 1);
  });

  it('fails with ca-not-initialised and the command to run when there is no CA', async (t) => {
    const layout = dataLayout(await tempDir(t));
    await assert.rejects(loadFleetCa(layout), (e) => {
      assert.ok(isFailure(e));
      assert.equal(e.code, 'ca-not-initialised');
      assert.match(e.message, /fleetplane ca init/);
      return true;
    });
  });
});

describe('ca rotate', () => {
  it('makes the new generation issue and keeps the old root trusted for the overlap', async (t) => {
    const { ctx, clock } = await testFleet(t);
    const result = await rotateCa(ctx.layout, { now: clock.now() });
    assert.ok(result.rotated);
    const ca = result.ca;
    assert.equal(ca.newest.generation, 2);
    assert.deepEqual(
      ca.trustedAt(clock.now()).map((g) => g.generation),
      [1, 2],
    );
    assert.equal(result.previousTrustedUntil.getTime(), clock.now().getTime() + 90 * 864e5);
    const bundle = await readFile(ctx.layout.trustBundle, 'utf8');
    assert.equal(certificatesFromPem(bundle).length, 2);

    clock.advanceDays(89);
    assert.deepEqual(
      ca.trustedAt(clock.now()).map((g) => g.generation),
      [1, 2],
    );
    clock.advanceDays(2);
    assert.deepEqual(
      ca.trustedAt(clock.now()).map((g) => g.generation),
      [2],
    );
    assert.equal(ca.trustBundlePem(clock.now()), ca.newest.root.pem.trim() + '\n');
  });

  it('refuses to rotate again while the overlap is open, unless forced', async (t) => {
    const { ctx, clock } = await testFleet(t);
    await rotateCa(ctx.layout, { now: clock.now(), overlapDays: 30 });
    clock.advanceDays(10);
    const refused = await rotateCa(ctx.layout, { now: clock.now() });
    assert.equal(refused.rotated, false);
    assert.deepEqual(refused.rotated ? [] : refused.open.map((g) => g.generation), [1]);
    assert.equal((await loadFleetCa(ctx.layout)).generations.length, 2);

    const forced = await rotateCa(ctx.layout, { now: clock.now(), force: true });
    assert.ok(forced.rotated);
    assert.equal(forced.ca.newest.generation, 3);
    clock.advanceDays(21);
    assert.equal(
      (await rotateCa(ctx.layout, { now: clock.now() })).rotated,
      false,
      'G2 is still in its own overlap',
    );
  });

  it('rotates again once the overlap has closed', async (t) => {
    const { ctx, clock } = await testFleet(t);
    await rotateCa(ctx.layout, { now: clock.now(), overlapDays: 30 });
    clock.advanceDays(31);
    const again = await rotateCa(ctx.layout, { now: clock.now() });
    assert.ok(again.rotated);
    assert.equal(again.generation.generation, 3);
  });

  it('reports which generation issues and which are trusted until when', async (t) => {
    const { ctx } = await testFleet(t);
    const clock = new TestClock();
    await rotateCa(ctx.layout, { now: clock.now(), overlapDays: 90 });
    const status = caStatus(await loadFleetCa(ctx.layout), clock.now());
    assert.deepEqual(
      status.map((s) => [s.generation, s.issues, s.trusted]),
      [
        [1, false, true],
        [2, true, true],
      ],
    );
    assert.equal(status[0]?.trustedUntil.getTime(), clock.now().getTime() + 90 * 864e5);
  });
});
