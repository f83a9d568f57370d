import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { apiRequest, platformFetch } from '../../test-support/api-client.js';
import { MemoryAuditLog } from '../../test-support/memory-audit-log.js';
import { message } from '../../test-support/messages.js';
import {
  connectDevice,
  eventually,
  fleetDataDir,
  provisionDevice,
  receivedCommands,
  runCli,
  startTestPlatform,
} from '../../test-support/platform.js';
import { proximityProof } from '../../test-support/proximity.js';
import { issueToken, loadTokenKeys } from '../api/tokens.js';
import { topics, type ShadowDesired } from '../contract/index.js';

// The staff tablet's routes on a real platform: a provisioned cart connected over mutual TLS,
// its health and session projected, commands and shadow documents received on its topics.
describe('HTTP API: staff tablet', () => {
  it('locates carts, sets maintenance and acts on a session only with a fresh proximity proof, scoped to the store of the staff token', async (t) => {
    const data = await fleetDataDir(t);
    await runCli('store', 'add', '--data', data, '--id', 'paris-1', '--name', 'Paris 1');
    const dir = await provisionDevice(data, 'CART-0601');
    await provisionDevice(data, 'CART-0602', 'cart', 'paris-1');
    const audit = new MemoryAuditLog();
    const platform = await startTestPlatform(
      t,
      data,
      {},
      { openAudit: () => Promise.resolve(audit) },
    );
    const cart = await connectDevice(t, platform.mqttUrl, dir);
    const commands = receivedCommands(cart);
    const desired: ShadowDesired[] = [];
    cart.client.on('message', (topic, payload) => {
      if (topic === topics.shadowDesired('CART-0601')) {
        desired.push(JSON.parse(payload.toString('utf8')) as ShadowDesired);
      }
    });
    const sessionId = randomUUID();
    const location = { lat: 52.52, lon: 13.405, accuracy_m: 3, source: 'indoor' };
    await cart.send(
      message('health', 'CART-0601', 1, { location, rssi_dbm: -85, battery_pct: 44 }),
    );
    await cart.send(message('session-start', 'CART-0601', 2, { session_id: sessionId }));
    await eventually(
      async () => ((await platform.entities.getSession(sessionId)) ? true : undefined),
      'projection of the session',
    );

    const keys = await loadTokenKeys(platform.layout.tokenKey);
    const anna = await issueToken(
      keys,
      { role: 'staff', store: 'berlin-1', subject: 'anna' },
      new Date(),
    );
    const paris = await issueToken(keys, { role: 'staff', store: 'paris-1' }, new Date());
    const call = (method: 'GET' | 'PUT' | 'POST', path: string, token: string, body?: unknown) =>
      apiRequest(platform, method, path, { token, ...(body !== undefined ? { body } : {}) });
    const berlin = '/v1/stores/berlin-1';

    // The locator: the store's carts, with the position the cart reported.
    const locator = await call('GET', `${berlin}/carts`, anna);
    assert.equal(locator.status, 200, JSON.stringify(locator.body));
    const carts = locator.body['carts'] as Record<string, unknown>[];
    assert.deepEqual(
      carts.map((c) => c['deviceId']),
      ['CART-0601'],
    );
    const located = carts[0]!;
    assert.equal(located['batteryPct'], 44);
    assert.equal(located['activeSessionId'], sessionId);
    const position = located['position'] as Record<string, unknown>;
    assert.equal(position['lat'], 52.52);
    assert.equal(position['accuracyM'], 3);
    assert.equal(position['source'], 'indoor');
    assert.equal(typeof position['at'], 'string');

    const status = await call('GET', `${berlin}/fleet-status`, anna);
    assert.equal(status.status, 200);
    assert.equal(status.body['carts'], 1);
    assert.equal(status.body['weakSignal'], 1);
    assert.deepEqual(status.body['battery'], { below20: 0, from20to50: 1, above50: 0, unknown: 0 });

    // Staff of another store learn nothing about this one and change nothing.
    const cartPath = `${berlin}/carts/CART-0601`;
    const proofFor = () =>
      proximityProof('CART-0601', (body) => cart.credentials.secureElement.sign(body));
    for (const [method, path, body] of [
      ['GET', `${berlin}/carts`, undefined],
      ['GET', `${berlin}/fleet-status`, undefined],
      ['PUT', `${cartPath}/maintenance`, { reason: 'repair' }],
      [
        'POST',
        `${cartPath}/session-actions`,
        { action: 'pause', session_id: sessionId, proof: proofFor() },
      ],
    ] as const) {
      const refused = await call(method, path, paris, body);
      assert.equal(refused.status, 403, `${method} ${path}`);
      assert.equal(refused.body['error'], 'forbidden');
    }
    assert.equal((await platformFetch(platform)(`${platform.apiUrl}${berlin}/carts`)).status, 401);
    const ops = await issueToken(keys, { role: 'ops' }, new Date());
    assert.equal((await call('GET', '/v1/stores/nowhere/carts', ops)).status, 404);
    assert.equal(
      (await call('PUT', `${berlin}/carts/CART-0602/maintenance`, anna, { reason: null })).status,
      404,
    );

    // Maintenance: stored, audited, and sent to the cart as a desired shadow.
    const bad = await call('PUT', `${cartPath}/maintenance`, anna, { reason: 'nap' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body['error'], 'bad-request');
    assert.match(String(bad.body['message']), /reason/);
    const set = await call('PUT', `${cartPath}/maintenance`, anna, {
      reason: 'cleaning',
      note: 'spill',
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal(set.body['desiredVersion'], 1);
    assert.equal(set.body['published'], true);
    assert.equal(set.body['setBy'], 'staff:anna');
    const shadow = await eventually(() => desired[0], 'the desired shadow on the cart');
    assert.deepEqual(shadow.desired, { maintenance_mode: true });
    assert.equal(shadow.version, 1);
    const flagged = await call('GET', `${berlin}/carts`, anna);
    const maintenance = (flagged.body['carts'] as Record<string, Record<string, unknown>>[])[0]![
      'maintenance'
    ]!;
    assert.equal(maintenance['outOfService'], true);
    assert.equal(maintenance['reason'], 'cleaning');
    const overrides = audit.records.filter((r) => r.action === 'staff-override');
    assert.equal(overrides.length, 1);
    assert.deepEqual(overrides[0]!.actor, { role: 'staff', subject: 'anna' });
    assert.equal(overrides[0]!.deviceId, 'CART-0601');
    assert.equal(overrides[0]!.storeId, 'berlin-1');
    assert.equal(overrides[0]!.detail?.['reason'], 'cleaning');

    // A session action needs a proof the cart signed; the same proof works once.
    const actions = `${cartPath}/session-actions`;
    const without = await call('POST', actions, anna, { action: 'pause', session_id: sessionId });
    assert.equal(without.status, 403);
    assert.equal(without.body['error'], 'proximity-required');
    const proof = proofFor();
    const accepted = await call('POST', actions, anna, {
      action: 'pause',
      session_id: sessionId,
      proof,
    });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const commandId = String(accepted.body['commandId']);
    const command = await eventually(
      () => commands.find((c) => c.command_id === commandId),
      'the command on the cart',
    );
    assert.equal(command.name, 'pause-session');
    assert.equal(command.args?.session_id, sessionId);
    assert.ok(Date.parse(command.expires_at) - Date.parse(command.ts) <= 60_000);
    const replayed = await call('POST', actions, anna, {
      action: 'cancel',
      session_id: sessionId,
      proof,
    });
    assert.equal(replayed.status, 403);
    assert.equal(replayed.body['error'], 'proximity-replayed');
    const record = audit.records.find((r) => r.detail?.['command_id'] === commandId);
    assert.equal(record?.actor.subject, 'anna');
    assert.equal(record?.detail?.['staff_id'], 'anna');
    assert.equal(record?.detail?.['session_id'], sessionId);
    assert.equal((await audit.verify()).ok, true);

    const unknownSession = await call('POST', actions, anna, {
      action: 'pause',
      session_id: randomUUID(),
      proof: proofFor(),
    });
    assert.equal(unknownSession.status, 404);
    const badAction = await call('POST', actions, anna, {
      action: 'explode',
      session_id: sessionId,
    });
    assert.equal(badAction.status, 400);

    const openapi = (await (
      await platformFetch(platform)(`${platform.apiUrl}/openapi.json`)
    ).json()) as {
      paths: Record<string, unknown>;
    };
    for (const p of [
      '/v1/stores/{store}/carts',
      '/v1/stores/{store}/fleet-status',
      '/v1/stores/{store}/carts/{device}/maintenance',
      '/v1/stores/{store}/carts/{device}/session-actions',
    ]) {
      assert.ok(openapi.paths[p], `${p} documented`);
    }
  });

  it('refuses a staff override the audit log cannot record', async (t) => {
    const data = await fleetDataDir(t);
    await provisionDevice(data, 'CART-0603');
    const broken = new MemoryAuditLog();
    broken.append = () => Promise.reject(new Error('disk full'));
    const platform = await startTestPlatform(t, data, {}, { openAudit: async () => broken });
    await platform.entities.upsertDevice({
      deviceId: 'CART-0603',
      storeId: 'berlin-1',
      deviceClass: 'cart',
      certSerialHex: '01',
    });
    const keys = await loadTokenKeys(platform.layout.tokenKey);
    const token = await issueToken(keys, { role: 'staff', store: 'berlin-1' }, new Date());
    const refused = await apiRequest(
      platform,
      'PUT',
      '/v1/stores/berlin-1/carts/CART-0603/maintenance',
      {
        token,
        body: { reason: 'repair' },
      },
    );
    assert.equal(refused.status, 503);
    assert.equal(refused.body['error'], 'unavailable');
    const [listed] = (await platform.entities.listCarts({ limit: 1 })).carts;
    assert.equal(listed?.maintenance, null, 'nothing changed');
  });
});
