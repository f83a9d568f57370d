import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { topicFor } from '../../contract/index.js';
import { apiRequest } from '../../../test-support/api-client.js';
import { flakyProjection } from '../../../test-support/flaky-entity-store.js';
import { message } from '../../../test-support/messages.js';
import {
  connectDevice,
  deviceSigner,
  eventually,
  fleetDataDir,
  provisionDevice,
  runCli,
  startTestPlatform,
  STORE,
} from '../../../test-support/platform.js';
import { startReceiver } from '../../../test-support/webhook-receiver.js';
import { openEntityStore } from '../../stores/entities/open-entity-store.js';
import type { AlarmView } from '../../stores/entities/entity-store.js';
import { verifyWebhook } from '../../surfaces/webhooks/webhook-signature.js';
import { rolloutRecord } from '../ota/rollout/ports.contract.js';
import type { RunningPlatform } from '../../platform/running-platform.js';

const CARTS = ['CART-0991', 'CART-0992', 'CART-0993', 'CART-0994', 'CART-0995'];

/** Tight thresholds so a handful of messages crosses them; the defaults are in the decision. */
const FLEET_RULES = {
  profile: 'fleet',
  rejectRate: { severity: 'warning', minutes: 1, shareAbove: 0.2, minRejects: 3 },
  authFailures: { severity: 'critical', minutes: 1, perMinuteAbove: 2 },
  fleetDiff: { severity: 'warning', seenWithin: '15m', presentShareBelow: 0.5, minExpected: 2 },
  deadLetters: { severity: 'warning', above: 0 },
  rolloutHalted: { severity: 'critical' },
};

async function alarm(
  platform: RunningPlatform,
  ruleId: string,
  state: string,
  holds: (a: AlarmView) => boolean = () => true,
) {
  return eventually(
    async () => {
      const { status, body } = await apiRequest(platform, 'GET', '/v1/alarms?limit=500');
      assert.equal(status, 200, JSON.stringify(body));
      return (body['alarms'] as AlarmView[]).find(
        (a) => a.ruleId === ruleId && a.state === state && holds(a),
      );
    },
    `${ruleId} ${state}`,
    20_000,
  );
}

describe('fleet alarms on a running platform', () => {
  it('drives the fleet into each fleet alarm and out again, each change delivered once, signed', async (t) => {
    const data = await fleetDataDir(t);
    const entityState = { down: false };
    let clock = Date.now();
    const platform = await startTestPlatform(
      t,
      data,
      { alarmSweepMs: 50, revocationPollMs: 50 },
      {
        now: () => clock,
        openEntities: async () =>
          flakyProjection(await openEntityStore({ dataDir: data }), entityState),
      },
    );
    const receiver = await startReceiver(t);
    const hook = await apiRequest(platform, 'POST', '/v1/webhooks', {
      body: { url: receiver.url, events: ['alarm.fired', 'alarm.resolved'] },
    });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    const put = await apiRequest(platform, 'PUT', '/v1/rules/fleet', { body: FLEET_RULES });
    assert.equal(put.status, 200, JSON.stringify(put.body));

    // Fleet diff: five carts provisioned (after the webhook: it hears of what fires from then
    // on), none seen; three speak and the store is whole enough.
    const dirs = await Promise.all(CARTS.map((id) => provisionDevice(data, id)));
    const diff = await alarm(platform, 'fleet-diff', 'firing');
    assert.equal(diff.storeId, STORE);
    assert.equal(diff.deviceId, null);
    // Fired by the default rules or by these (the first sweep may come before the PUT).
    const { expected, present, neverSeen, share } = diff.reading;
    assert.deepEqual(
      { expected, present, neverSeen, share },
      { expected: 5, present: 0, neverSeen: 5, share: 0 },
    );
    const links = await Promise.all(
      dirs.slice(0, 3).map((d) => connectDevice(t, platform.mqttUrl, d)),
    );
    for (const [i, link] of links.entries()) await link.send(message('health', CARTS[i]!, 1));
    const back = await alarm(platform, 'fleet-diff', 'resolved');
    assert.equal(back.id, diff.id);

    // Reject rate: four forged messages against three stored; a minute later they have left the window.
    const sign = await deviceSigner(dirs[0]!);
    for (let counter = 2; counter <= 5; counter++) {
      const forged = sign(message('health', CARTS[0]!, counter));
      forged[forged.length - 1]! ^= 0xff;
      await links[0]!.sendRaw(topicFor('cart', CARTS[0]!, 'health'), forged);
    }
    // It may fire at the third; the open alarm's reading follows to the fourth.
    const rejects = await alarm(
      platform,
      'reject-rate',
      'firing',
      (a) => a.reading['rejected'] === 4,
    );
    assert.equal(rejects.storeId, STORE);
    assert.deepEqual(rejects.reading, { rejected: 4, stored: 3, share: 0.571, minutes: 1 });
    await sleep(200);
    clock += 2 * 60_000;
    await alarm(platform, 'reject-rate', 'resolved');

    // Auth failures: a revoked cart that keeps trying to connect.
    await runCli('revoke', '--data', data, '--serial', CARTS[4]!, '--reason', 'keyCompromise');
    for (let tries = 0; tries < 3;) {
      await connectDevice(t, platform.mqttUrl, dirs[4]!, { reconnect: false }).then(
        (link) => link.close(),
        () => tries++,
      );
    }
    const spike = await alarm(platform, 'auth-failure-spike', 'firing');
    assert.equal(spike.storeId, '*');
    assert.ok(Number(spike.reading['failures']) >= 3, JSON.stringify(spike.reading));
    await sleep(200);
    clock += 2 * 60_000;
    await alarm(platform, 'auth-failure-spike', 'resolved');

    // Dead letters: the entity store refuses a projection; replayed once it is back.
    entityState.down = true;
    await links[1]!.send(message('health', CARTS[1]!, 2));
    const parked = await alarm(platform, 'dead-letters', 'firing');
    assert.deepEqual(parked.reading, { waiting: 1, above: 0 });
    entityState.down = false;
    const replay = await apiRequest(platform, 'POST', '/v1/dead-letters/replay');
    assert.equal(replay.status, 200, JSON.stringify(replay.body));
    await alarm(platform, 'dead-letters', 'resolved');

    // A halted rollout, as the rollout engine records one; aborted, it no longer alarms.
    const halted = rolloutRecord({ state: 'halted', haltReason: 'error-rate regression' });
    await platform.entities.createRollout(halted, []);
    const rollout = await alarm(platform, 'rollout-halted', 'firing');
    assert.equal(rollout.key, `rollout-halted:rollout/${halted.rolloutId}`);
    assert.equal(rollout.reading['haltReason'], 'error-rate regression');
    await platform.entities.updateRollout({ ...halted, state: 'aborted' });
    await alarm(platform, 'rollout-halted', 'resolved');

    // Five alarms, each fired and resolved: ten deliveries, once each, signed.
    const kinds = () =>
      receiver.requests.map((r) => {
        const { kind, alarm } = JSON.parse(r.body) as { kind: string; alarm: AlarmView };
        return `${alarm.ruleId} ${kind}`;
      });
    const deliveries = await eventually(
      () => (receiver.requests.length >= 10 ? receiver.requests : undefined),
      `ten deliveries (so far: ${kinds().join(', ')})`,
      20_000,
    ).catch(() => assert.fail(`ten deliveries; arrived: ${kinds().join(', ')}`));
    await sleep(300);
    assert.equal(receiver.requests.length, 10, 'once each');
    const seen = deliveries.map((d) => {
      const verified = verifyWebhook(
        String(hook.body['secret']),
        d.body,
        String(d.headers['fleetplane-signature']),
        Math.floor(Date.now() / 1000),
      );
      assert.ok(verified.ok, 'signed');
      const { kind, alarm } = JSON.parse(d.body) as { kind: string; alarm: AlarmView };
      return `${alarm.ruleId} ${kind}`;
    });
    assert.deepEqual(
      seen.sort(),
      ['auth-failure-spike', 'dead-letters', 'fleet-diff', 'reject-rate', 'rollout-halted']
        .flatMap((r) => [`${r} alarm.fired`, `${r} alarm.resolved`])
        .sort(),
    );
  });
});
