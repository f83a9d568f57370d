import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tempDir } from '../../../../test-support/temp-dir.js';
import { ThreadedEntityStore } from '../thread/threaded-entity-store.js';

describe('ThreadedWebhookRecords', () => {
  it('passes every webhook record method through the thread', async (t) => {
    const store = await ThreadedEntityStore.open({ dataDir: await tempDir(t, 'threaded-') });
    t.after(() => store.close());
    const at = Date.now();
    const url = 'https://hooks.example/x';
    const hook = { id: 'wh_1', url, secret: 'whsec_1', events: [], createdBy: 'ops:a', at };
    assert.equal((await store.addWebhook(hook)).id, 'wh_1');
    assert.equal((await store.getWebhook('wh_1'))?.url, url);
    assert.equal((await store.listWebhooks()).length, 1);
    const event = { id: 'evt-1', kind: 'ping', at, payload: { n: 1 } };
    const [id] = await store.enqueueWebhookEvent(event, { now: at });
    const [claimed] = await store.claimDueDeliveries(at, 5, 1000);
    assert.equal(claimed?.id, id);
    assert.deepEqual(claimed?.event, event);
    await store.recordDeliveryAttempt(id!, { at, status: 200, error: null, result: 'delivered' });
    assert.equal((await store.listDeliveries('wh_1', 5, 'delivered'))[0]?.id, id);
    assert.equal(await store.removeWebhook('wh_1'), true);
  });
});
