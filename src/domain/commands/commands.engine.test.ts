import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiRequest, platformFetch } from '../../../test-support/api-client.js';
import { message } from '../../../test-support/messages.js';
import {
  connectDevice,
  eventually,
  fleetDataDir,
  provisionDevice,
  receivedCommands,
  startTestPlatform,
  suitePlatform,
} from '../../../test-support/platform.js';
import { commandDocument, platformCart, sendCommand } from '../../../test-support/platform-cart.js';
import { behindTheCloud, CALM } from '../../../test-support/trip-engine.js';
import type { CommandResponse, DeviceMessage } from '../../contract/index.js';

// The command ledger against the embedded platform: a real cart (the device model) over mutual
// TLS, and a bare device link that receives commands but never answers.
describe('command ledger (embedded platform)', () => {
  // The first and last tests share one platform on the real clock; each uses a device of its own.
  let dir0801 = '';
  const shared = suitePlatform(async (data) => {
    dir0801 = await provisionDevice(data, 'CART-0801');
    await provisionDevice(data, 'CART-0803');
  });

  it('runs a command once under duplicate delivery: the second answer is duplicate, the ledger shows one success', async (t) => {
    const { platform } = shared();
    const dir = dir0801;
    const responses: CommandResponse[] = [];
    const cart = await platformCart(t, platform, dir, behindTheCloud(1), {
      timing: CALM,
      observer: {
        created: (m: DeviceMessage) => void (m.type === 'command-response' && responses.push(m)),
      },
    });
    await cart.powerOn();

    const sent = await apiRequest(platform, 'POST', '/v1/devices/CART-0801/commands', {
      body: { name: 'ping', timeout_s: 600 },
    });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    const commandId = String(sent.body['commandId']);
    const settled = await eventually(async () => {
      const got = await apiRequest(platform, 'GET', `/v1/commands/${commandId}`);
      return got.body['status'] === 'succeeded' ? got.body : undefined;
    }, 'the answer in the ledger');
    assert.equal(settled['duplicate'], false);
    assert.equal(settled['attempts'], 1);
    assert.equal(typeof settled['responseMs'], 'number');

    // The broker delivers the same command again (QoS 1 re-delivery): the cart does not re-run it.
    const again = commandDocument('CART-0801', 'ping', { commandId });
    await sendCommand(platform, again);
    await eventually(
      () => (responses.filter((r) => r.command_id === commandId).length === 2 ? true : undefined),
      'the second answer',
    );
    const answers = responses.filter((r) => r.command_id === commandId);
    assert.deepEqual(
      answers.map((r) => [r.status, r.duplicate]),
      [
        ['succeeded', false],
        ['succeeded', true],
      ],
    );
    // The duplicate answer was projected and changed nothing.
    await eventually(
      async () =>
        /fleetplane_command_duplicate_answers_total 1/.test(await platform.metrics.text())
          ? true
          : undefined,
      'the duplicate answer projected',
    );
    const listed = await apiRequest(platform, 'GET', '/v1/devices/CART-0801/commands?limit=5');
    const commands = listed.body['commands'] as Record<string, unknown>[];
    assert.equal(commands.length, 1);
    assert.equal(commands[0]!['status'], 'succeeded');
    assert.equal(commands[0]!['duplicate'], false);
    const retried = await apiRequest(platform, 'POST', `/v1/commands/${commandId}/retry`);
    assert.equal(retried.status, 409);
    assert.equal(retried.body['error'], 'conflict');
  });

  it('marks a command nobody answers failed with code timeout, and retries it under the same id', async (t) => {
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CART-0802');
    let ahead = 0;
    const platform = await startTestPlatform(t, data, {}, { now: () => Date.now() + ahead });
    const link = await connectDevice(t, platform.mqttUrl, dir);
    const received = receivedCommands(link);
    await eventually(
      async () => (await platform.entities.getDevice('CART-0802')) ?? undefined,
      'the device registered',
    );

    const sent = await apiRequest(platform, 'POST', '/v1/devices/CART-0802/commands', {
      body: { name: 'sync-catalog', timeout_s: 30 },
    });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    const commandId = String(sent.body['commandId']);
    await eventually(
      () => received.find((c) => c.command_id === commandId),
      'the command on the device',
    );

    // Before its expiry the sweep leaves it; after, it is failed with code timeout.
    assert.deepEqual(await platform.commands.sweep(Date.now()), []);
    ahead = 31_000;
    const timedOut = await platform.commands.sweep(Date.now() + ahead);
    assert.deepEqual(
      timedOut.map((c) => c.commandId),
      [commandId],
    );
    const failed = await apiRequest(platform, 'GET', `/v1/commands/${commandId}`);
    assert.equal(failed.body['status'], 'failed');
    assert.equal(failed.body['code'], 'timeout');
    const metrics = await platform.metrics.text();
    assert.match(
      metrics,
      /fleetplane_command_outcomes_total\{name="sync-catalog",status="timeout"\} 1/,
    );

    const retried = await apiRequest(platform, 'POST', `/v1/commands/${commandId}/retry`);
    assert.equal(retried.status, 202, JSON.stringify(retried.body));
    assert.equal(retried.body['attempts'], 2);
    assert.equal(retried.body['status'], 'pending');
    const resent = await eventually(
      () =>
        received.filter((c) => c.command_id === commandId).length === 2
          ? received.at(-1)
          : undefined,
      'the same id delivered again',
    );
    assert.ok(Date.parse(resent.expires_at) > Date.parse(received[0]!.expires_at), 'a new expiry');

    // The device answers this time: the ledger settles it.
    await link.send(
      message('command-response', 'CART-0802', 1, {
        command_id: commandId,
        status: 'succeeded',
        duplicate: false,
      }),
    );
    await eventually(async () => {
      const got = await apiRequest(platform, 'GET', `/v1/commands/${commandId}`);
      return got.body['status'] === 'succeeded' ? true : undefined;
    }, 'the answer settling the retried command');
  });

  it('refuses what the API may not send, with the reason, and 404s an unknown device or command', async () => {
    const { platform } = shared();
    await platform.entities.upsertDevice({
      deviceId: 'CART-0803',
      storeId: 'berlin-1',
      deviceClass: 'cart',
      certSerialHex: '01',
    });
    const post = (body: unknown, device = 'CART-0803') =>
      apiRequest(platform, 'POST', `/v1/devices/${device}/commands`, { body });
    for (const [body, pattern] of [
      [{ name: 'attach-customer' }, /name/],
      [
        { name: 'cancel-session', args: { session_id: '0b7c3c1e-9b5e-4a43-9a38-2d2b0a0c6f11' } },
        /name/,
      ],
      [{ name: 'ping', args: { reason: 'x' } }, /ping takes no args/],
      [{ name: 'trust-ca', args: { ca_generation: 2 } }, /needs args ca_root_pem/],
      [{ name: 'reboot', args: { reason: 'Not A Code!' } }, /reason/],
    ] as const) {
      const refused = await post(body);
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.equal(refused.body['error'], 'bad-request');
      assert.match(String(refused.body['message']), pattern);
    }
    assert.equal((await post({ name: 'ping' }, 'CART-0404')).status, 404);
    assert.equal(
      (await apiRequest(platform, 'GET', '/v1/commands/0b7c3c1e-9b5e-4a43-9a38-2d2b0a0c6f11'))
        .status,
      404,
    );
    const openapi = (await (
      await platformFetch(platform)(`${platform.apiUrl}/openapi.json`)
    ).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    assert.ok(openapi.paths['/v1/devices/{id}/commands']?.['post']);
    assert.ok(openapi.paths['/v1/devices/{id}/commands']?.['get']);
    assert.ok(openapi.paths['/v1/commands/{command_id}']?.['get']);
    assert.ok(openapi.paths['/v1/commands/{command_id}/retry']?.['post']);
  });
});
