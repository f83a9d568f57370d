import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiRequest, apiToken } from '../../../test-support/api-client.js';
import { message } from '../../../test-support/messages.js';
import {
  connectDevice,
  eventually,
  fleetDataDir,
  provisionDevice,
  startTestPlatform,
} from '../../../test-support/platform.js';
import type { RunningPlatform } from '../../platform/running-platform.js';
import type { AlarmView } from '../../stores/entities/entity-store.js';
import { verifyWebhook } from '../../surfaces/webhooks/webhook-signature.js';
import { startReceiver } from '../../../test-support/webhook-receiver.js';

async function alarms(platform: RunningPlatform, query = ''): Promise<AlarmView[]> {
  const { status, body } = await apiRequest(platform, 'GET', `/v1/alarms${query}`);
  assert.equal(status, 200, JSON.stringify(body));
  return body['alarms'] as AlarmView[];
}

function waitForAlarms(
  platform: RunningPlatform,
  what: string,
  test: (list: AlarmView[]) => boolean,
): Promise<AlarmView[]> {
  return eventually(async () => {
    const list = await alarms(platform);
    return test(list) ? list : undefined;
  }, what);
}

describe('alarms from rules, on a running platform', () => {
  it('fires on stored telemetry, resolves when the reading recovers, takes a new rule set without a restart and survives one', async (t) => {
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CART-0971');
    let platform = await startTestPlatform(t, data);
    let cart = await connectDevice(t, platform.mqttUrl, dir);
    const receiver = await startReceiver(t);
    const hook = await apiRequest(platform, 'POST', '/v1/webhooks', {
      body: { url: receiver.url, events: ['alarm.fired', 'alarm.resolved'] },
    });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    const secret = String(hook.body['secret']);
    let counter = 0;
    const health = (battery_pct: number) =>
      cart.send(message('health', 'CART-0971', ++counter, { battery_pct }));

    // The default cart rule: battery under 15 %, resolved at 20 %.
    await health(40);
    await health(12);
    const [fired] = await waitForAlarms(platform, 'the battery alarm', (l) => l.length === 1);
    assert.equal(fired?.ruleId, 'battery-low');
    assert.equal(fired?.state, 'firing');
    assert.equal(fired?.deviceId, 'CART-0971');
    assert.deepEqual(fired?.reading, { battery_pct: 12 });
    await health(18); // between the thresholds: still firing
    await health(25);
    const [resolved] = await waitForAlarms(platform, 'resolved', (l) => l[0]?.state === 'resolved');
    assert.equal(resolved?.id, fired?.id);
    assert.equal(resolved?.resolvedBy, 'rule');
    // Each change reached the webhook once, signed with its secret.
    const deliveries = await receiver.received(2);
    await sleep(300);
    assert.equal(receiver.requests.length, 2, 'once each');
    const bodies = deliveries.map((d) => {
      const verified = verifyWebhook(
        secret,
        d.body,
        String(d.headers['fleetplane-signature']),
        Math.floor(Date.now() / 1000),
      );
      assert.ok(verified.ok, 'signed');
      return JSON.parse(d.body) as { kind: string; alarm: AlarmView };
    });
    assert.deepEqual(
      bodies.map((b) => [b.kind, b.alarm.id, b.alarm.state]),
      [
        ['alarm.fired', fired!.id, 'firing'],
        ['alarm.resolved', fired!.id, 'resolved'],
      ],
    );
    const detail = await apiRequest(platform, 'GET', `/v1/alarms/${fired!.id}`);
    assert.deepEqual(
      (detail.body['history'] as { change: string }[]).map((h) => h.change),
      ['fired', 'resolved'],
    );

    // A new rule set through the API is in force for the next message.
    const ruleSet = {
      profile: 'cart',
      rules: [
        {
          id: 'battery-half',
          severity: 'critical',
          type: 'health',
          when: { field: 'battery_pct', below: 50 },
        },
      ],
    };
    const put = await apiRequest(platform, 'PUT', '/v1/rules/cart', { body: ruleSet });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(put.body['version'], 1);
    await health(45);
    const half = await waitForAlarms(platform, 'the new rule', (l) =>
      l.some((a) => a.ruleId === 'battery-half'),
    );
    const open = half.find((a) => a.ruleId === 'battery-half')!;
    assert.equal(open.severity, 'critical');

    // Refused with the path of the problem; the rule set in force is unchanged.
    const bad = await apiRequest(platform, 'PUT', '/v1/rules/cart', {
      body: { ...ruleSet, rules: [{ ...ruleSet.rules[0], when: { field: 'batery', below: 1 } }] },
    });
    assert.equal(bad.status, 400);
    assert.match(
      String(bad.body['message']),
      /rules\[0\]\.when\.field: health messages have no field batery/,
    );
    const staff = await apiRequest(platform, 'GET', '/v1/alarms', {
      token: await apiToken(platform, 'staff', 'berlin-1'),
    });
    assert.equal(staff.status, 403);

    const acked = await apiRequest(platform, 'POST', `/v1/alarms/${open.id}/acknowledge`);
    assert.equal(acked.status, 200);
    assert.equal(acked.body['state'], 'acknowledged');
    assert.match(String(acked.body['acknowledgedBy']), /^ops:/);
    const again = await apiRequest(platform, 'POST', `/v1/alarms/${open.id}/acknowledge`);
    assert.equal(again.status, 409);

    // After a restart the stored rule set is in force and the open alarm still resolves.
    await platform.stop();
    platform = await startTestPlatform(t, data);
    cart = await connectDevice(t, platform.mqttUrl, dir);
    const rules = await apiRequest(platform, 'GET', '/v1/rules');
    const cartRules = (rules.body['ruleSets'] as { profile: string; source: string }[]).find(
      (r) => r.profile === 'cart',
    );
    assert.equal(cartRules?.source, 'stored');
    await health(80);
    await waitForAlarms(platform, 'resolved after the restart', (l) =>
      l.some((a) => a.id === open.id && a.state === 'resolved' && a.resolvedBy === 'rule'),
    );
  });

  it('raises silent for a cart quiet for five minutes in a session, not outside one, and resolves it when it speaks', async (t) => {
    const data = await fleetDataDir(t);
    const inSession = await provisionDevice(data, 'CART-0981');
    const parked = await provisionDevice(data, 'CART-0982');
    let clock = Date.now();
    const platform = await startTestPlatform(t, data, { alarmSweepMs: 50 }, { now: () => clock });
    const shopping = await connectDevice(t, platform.mqttUrl, inSession);
    const idle = await connectDevice(t, platform.mqttUrl, parked);
    await shopping.send(message('session-start', 'CART-0981', 1, { session_id: randomUUID() }));
    await idle.send(
      message('health', 'CART-0982', 1, { state: 'idle', session_id: undefined, battery_pct: 80 }),
    );
    await eventually(
      async () =>
        (await platform.entities.getDevice('CART-0982'))?.lastCounter === 1 &&
        (await platform.entities.getDevice('CART-0981'))?.lastCounter === 1
          ? true
          : undefined,
      'both first messages projected',
    );
    clock += 4 * 60_000;
    await sleep(300);
    assert.deepEqual(await alarms(platform), [], 'four minutes is within the limit');
    clock += 2 * 60_000;
    const [silent] = await waitForAlarms(platform, 'the silent alarm', (l) => l.length > 0);
    assert.equal(silent?.ruleId, 'silent');
    assert.equal(silent?.deviceId, 'CART-0981', 'the cart outside a session is not watched');
    assert.equal(silent?.reading['silentMinutes'], 6);
    await sleep(300);
    assert.equal((await alarms(platform)).length, 1, 'raised once, however many sweeps');
    await shopping.send(message('health', 'CART-0981', 2, { battery_pct: 80 }));
    await waitForAlarms(platform, 'resolved when it speaks', (l) => l[0]?.state === 'resolved');
  });
});
