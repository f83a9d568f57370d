import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fleetCaRootPem } from '../../../test-support/firmware-jobs.js';
import { CaTrust, type CaRoot, type CaRootStore } from './ca-trust.js';

function memoryStore(): CaRootStore & { roots?: readonly CaRoot[] } {
  const store: CaRootStore & { roots?: readonly CaRoot[] } = {
    read: () => Promise.resolve(store.roots),
    write: (roots) => {
      store.roots = roots;
      return Promise.resolve();
    },
  };
  return store;
}

describe('CA trust store', () => {
  it('trusts the old and the new root during a rotation, and keeps both across a restart', async () => {
    const gen1 = await fleetCaRootPem('fleet root 1');
    const gen2 = await fleetCaRootPem('fleet root 2');
    const store = memoryStore();
    const trust = await CaTrust.open(store, { generation: 1, pem: gen1 });
    assert.deepEqual(trust.generations(), [1]);
    assert.deepEqual(await trust.add(2, gen2), { ok: true, added: true });
    assert.deepEqual(trust.generations(), [1, 2]);
    assert.equal(trust.trustPem(), `${gen1.trim()}\n${gen2.trim()}\n`);
    const again = await CaTrust.open(store, { generation: 1, pem: gen1 });
    assert.deepEqual(again.generations(), [1, 2]);
    assert.deepEqual(await again.add(2, gen2), { ok: true, added: false }, 'idempotent');
  });

  it('refuses what is not a CA root, and another root for a generation it holds', async () => {
    const trust = await CaTrust.open(memoryStore(), {
      generation: 1,
      pem: await fleetCaRootPem('fleet root 1'),
    });
    assert.deepEqual(await trust.add(2, 'not a pem'), { ok: false, code: 'invalid-root' });
    assert.deepEqual(await trust.add(2, await fleetCaRootPem('leaf', false)), {
      ok: false,
      code: 'invalid-root',
    });
    assert.deepEqual(await trust.add(1, await fleetCaRootPem('impostor')), {
      ok: false,
      code: 'generation-conflict',
    });
    assert.deepEqual(trust.generations(), [1]);
  });

  it('keeps at most four generations, dropping the oldest', async () => {
    const trust = await CaTrust.open(memoryStore(), {
      generation: 1,
      pem: await fleetCaRootPem('root 1'),
    });
    for (const g of [2, 3, 4, 5]) await trust.add(g, await fleetCaRootPem(`root ${g}`));
    assert.deepEqual(trust.generations(), [2, 3, 4, 5]);
  });
});
