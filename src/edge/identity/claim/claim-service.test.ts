import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { makeCsr, testFleet } from '../../../../test-support/identity.js';
import type { CryptoKeyPair } from '../x509.js';
import { createClaim, revokeClaim } from './claim-lifecycle.js';
import { ClaimRateLimit } from './claim-rate.js';
import { FileClaimRegistry } from './claim-registry.js';
import { ClaimService } from './claim-service.js';

const DAY = 86_400_000;
const STORE = 'store-1';

/** A fleet with one claim for CC-<digits> coldchain devices, on a clock the test moves. */
async function setUp(t: TestContext, rate = new ClaimRateLimit()) {
  const { ctx, clock } = await testFleet(t);
  const { record } = await createClaim(ctx, {
    template: { name: 'line', class: 'coldchain', store: STORE, serial_pattern: 'CC-[0-9]+' },
    expiresAt: new Date(clock.now().getTime() + DAY),
  });
  const service = new ClaimService(ctx, new FileClaimRegistry(ctx.layout), rate);
  const keys = new Map<string, CryptoKeyPair>();
  /** A claim request for `serial` with the key named `key` (made on first use). */
  const request = async (serial: string, key = serial) => {
    const csr = await makeCsr(serial, keys.has(key) ? { keys: keys.get(key)! } : {});
    keys.set(key, csr.keys);
    return Buffer.from(
      JSON.stringify({
        schema_version: 1,
        type: 'claim-request',
        serial,
        csr: csr.pem,
        nonce: '00000000-0000-4000-8000-00000000000a',
        ts: clock.now().toISOString(),
      }),
    );
  };
  const ask = async (serial: string, key = serial) =>
    service.handle(record.id, serial, await request(serial, key));
  const advance = (ms: number) => (clock.current = new Date(clock.current.getTime() + ms));
  return { ctx, claimId: record.id, service, request, ask, advance };
}

describe('the claim service', () => {
  it('issues through provisionDevice with the template class and store, once per serial', async (t) => {
    const { ctx, ask } = await setUp(t);
    const first = await ask('CC-1');
    assert.equal(first.issued, true);
    assert.equal(first.response.outcome, 'issued');
    assert.equal(first.response.nonce, '00000000-0000-4000-8000-00000000000a');
    const record = await ctx.devices.get('CC-1' as never);
    assert.deepEqual(
      [record?.class, record?.store, record?.how],
      ['coldchain', STORE, 'provisioned'],
    );

    const repeat = await ask('CC-1');
    assert.deepEqual(
      [repeat.issued, repeat.response.certificate_pem],
      [false, first.response.certificate_pem],
    );
    const other = await ask('CC-1', 'another-key');
    assert.deepEqual([other.issued, other.response.reason], [false, 'serial-claimed']);
  });

  it('refuses with claim-expired once the claim has expired, and claim-revoked once revoked', async (t) => {
    const expiring = await setUp(t);
    expiring.advance(DAY + 1);
    assert.equal((await expiring.ask('CC-3')).response.reason, 'claim-expired');

    const { ctx, claimId, ask } = await setUp(t);
    await revokeClaim(ctx, claimId);
    assert.equal((await ask('CC-2')).response.reason, 'claim-revoked');
    assert.equal(await ctx.devices.get('CC-2' as never), undefined, 'nothing was registered');
  });

  it('limits the requests under one claim, and refills with time', async (t) => {
    const { ask, advance } = await setUp(t, new ClaimRateLimit(2, 1));
    assert.equal((await ask('CC-10')).response.outcome, 'issued');
    assert.equal((await ask('CC-11')).response.outcome, 'issued');
    assert.equal((await ask('CC-12')).response.reason, 'rate-limited');
    advance(1000);
    assert.equal((await ask('CC-12')).response.outcome, 'issued');
  });

  it('refuses a serial outside the pattern and a body naming another serial than the topic', async (t) => {
    const { claimId, service, request, ask } = await setUp(t);
    assert.equal((await ask('XX-1')).response.reason, 'serial-not-allowed');
    const mismatch = await service.handle(claimId, 'CC-6', await request('CC-7'));
    assert.deepEqual([mismatch.response.reason, mismatch.response.serial], ['bad-request', 'CC-6']);
  });
});
