import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { apiRequest } from '../../test-support/api-client.js';
import { MemoryAuditLog } from '../../test-support/memory-audit-log.js';
import { message } from '../../test-support/messages.js';
import {
  connectDevice,
  eventually,
  fleetDataDir,
  provisionDevice,
  runCli,
  startTestPlatform,
} from '../../test-support/platform.js';
import { openStream } from '../../test-support/sse-client.js';
import { issueToken, loadTokenKeys } from './tokens.js';

// Loss-prevention alerts with a state, on a real platform: a cart's weight-mismatched scan raises
// one, staff acknowledge and resolve it, each change audited and told on the live stream.
describe('HTTP API: loss-prevention alert states', () => {
  it('acknowledges then resolves an alert, audited and streamed, refusing impossible transitions and other stores', async (t) => {
    const data = await fleetDataDir(t);
    await runCli('store', 'add', '--data', data, '--id', 'paris-1', '--name', 'Paris 1');
    const dir = await provisionDevice(data, 'CART-0801');
    const audit = new MemoryAuditLog();
    const platform = await startTestPlatform(
      t,
      data,
      {},
      { openAudit: () => Promise.resolve(audit) },
    );
    const keys = await loadTokenKeys(platform.layout.tokenKey);
    const anna = await issueToken(
      keys,
      { role: 'staff', store: 'berlin-1', subject: 'anna' },
      new Date(),
    );
    const paris = await issueToken(keys, { role: 'staff', store: 'paris-1' }, new Date());
    const ops = await issueToken(keys, { role: 'ops', subject: 'olga' }, new Date());
    const stream = await openStream(t, platform, '/v1/stream', anna);
    await eventually(() => (platform.live.subscribers === 1 ? true : undefined), 'subscribed');

    const cart = await connectDevice(t, platform.mqttUrl, dir);
    const sessionId = randomUUID();
    await cart.send(message('session-start', 'CART-0801', 1, { session_id: sessionId }));
    await cart.send(
      message('scan', 'CART-0801', 2, {
        session_id: sessionId,
        scan_seq: 1,
        weight_check: 'mismatch',
        weight_delta_g: 40,
      }),
    );
    const raised = await stream.waitFor(
      (e) => e.event === 'alert' && e.data['action'] === 'raised',
      'the raised alert on the staff stream',
    );
    const alert = raised.data['alert'] as Record<string, unknown>;
    assert.equal(alert['state'], 'open');
    assert.equal(alert['kind'], 'weight-mismatch');
    assert.equal(alert['sessionId'], sessionId);
    const id = String(alert['id']);
    const base = `/v1/stores/berlin-1/loss-prevention/${id}`;
    const post = (path: string, token: string) => apiRequest(platform, 'POST', path, { token });

    const listed = await apiRequest(
      platform,
      'GET',
      '/v1/stores/berlin-1/loss-prevention?state=open',
      {
        token: anna,
      },
    );
    assert.equal(listed.status, 200);
    assert.deepEqual(
      (listed.body['alerts'] as Record<string, unknown>[]).map((a) => [a['id'], a['state']]),
      [[id, 'open']],
    );

    // Staff of another store learn nothing; a store without the alert does not have it.
    assert.equal((await post(`${base}/acknowledge`, paris)).status, 403);
    const elsewhere = await post(`/v1/stores/paris-1/loss-prevention/${id}/acknowledge`, ops);
    assert.equal(elsewhere.status, 404);
    assert.equal((await post(`${base.replace(id, randomUUID())}/acknowledge`, ops)).status, 404);
    assert.equal((await post(`${base.replace(id, 'not-a-uuid')}/acknowledge`, ops)).status, 400);
    assert.equal(audit.records.length, 0, 'refused requests audit nothing');

    const acked = await post(`${base}/acknowledge`, anna);
    assert.equal(acked.status, 200, JSON.stringify(acked.body));
    assert.equal(acked.body['state'], 'acknowledged');
    assert.equal(acked.body['acknowledgedBy'], 'staff:anna');
    assert.equal(typeof acked.body['acknowledgedAt'], 'string');
    const again = await post(`${base}/acknowledge`, ops);
    assert.equal(again.status, 409);
    assert.equal(again.body['error'], 'conflict');

    const resolved = await post(`${base}/resolve`, ops);
    assert.equal(resolved.status, 200);
    assert.equal(resolved.body['state'], 'resolved');
    assert.equal(resolved.body['resolvedBy'], 'ops:olga');
    assert.equal(resolved.body['acknowledgedBy'], 'staff:anna');
    assert.equal((await post(`${base}/resolve`, anna)).status, 409);
    assert.equal((await post(`${base}/acknowledge`, anna)).status, 409);

    assert.deepEqual(
      audit.records.map((r) => [r.action, r.actor.role, r.actor.subject, r.detail?.['state']]),
      [
        ['alert-state', 'staff', 'anna', 'acknowledged'],
        ['alert-state', 'ops', 'olga', 'resolved'],
      ],
    );
    assert.equal(audit.records[0]?.deviceId, 'CART-0801');
    assert.equal(audit.records[0]?.storeId, 'berlin-1');
    assert.equal(audit.records[0]?.detail?.['alert_id'], id);

    for (const action of ['acknowledged', 'resolved']) {
      const told = await stream.waitFor(
        (e) => e.event === 'alert' && e.data['action'] === action,
        `the ${action} alert on the staff stream`,
      );
      assert.equal((told.data['alert'] as Record<string, unknown>)['state'], action);
    }
    const byState = async (state: string) =>
      (
        (
          await apiRequest(platform, 'GET', `/v1/stores/berlin-1/loss-prevention?state=${state}`, {
            token: anna,
          })
        ).body['alerts'] as unknown[]
      ).length;
    assert.equal(await byState('open'), 0);
    assert.equal(await byState('resolved'), 1);
  });
});
