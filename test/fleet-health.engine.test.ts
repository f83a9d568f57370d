import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiRequest, apiToken } from '../test-support/api-client.js';
import { capture } from '../test-support/cli.js';
import { message } from '../test-support/messages.js';
import {
  STORE,
  connectDevice,
  eventually,
  fleetDataDir,
  provisionDevice,
  runCli,
  startTestPlatform,
} from '../test-support/platform.js';
import { topics } from '../src/contract/index.js';
import { main } from '../src/cli/main.js';
import { operatorCommands } from '../src/cli/operator/index.js';

const HOUR = 3_600_000;

async function cli(...argv: string[]) {
  const io = capture();
  const code = await main(argv, io, operatorCommands());
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

// A store of six provisioned carts on a real platform: one connected that sends messages ingest
// refuses and reboots after panics, one that sent a fault and went away, one last seen two hours
// ago, two never connected, one revoked; and a cart of another store. The fleet diff and the
// top-error ranking are read through the API and through the operator CLI.
describe('fleet diff and top error devices', () => {
  it('lists missing devices of a store and ranks devices by errors', async (t) => {
    const data = await fleetDataDir(t);
    await runCli('store', 'add', '--data', data, '--id', 'paris-1', '--name', 'Paris 1');
    const ids = ['CART-1', 'CART-2', 'CART-3', 'CART-4', 'CART-5', 'CART-6'];
    const dirs = await Promise.all(ids.map((id) => provisionDevice(data, id)));
    await provisionDevice(data, 'CART-7', 'cart', 'paris-1');
    await runCli('revoke', '--data', data, '--serial', 'CART-6');
    const platform = await startTestPlatform(t, data);

    const noisy = await connectDevice(t, platform.mqttUrl, dirs[0]!);
    await noisy.send(
      message('boot', 'CART-1', 1, { reset_reason: 'power-on', rolled_back: false }),
    );
    await noisy.send(message('boot', 'CART-1', 2, { reset_reason: 'panic', rolled_back: false }));
    await noisy.send(
      message('boot', 'CART-1', 3, { reset_reason: 'watchdog', rolled_back: false }),
    );
    for (let i = 0; i < 3; i++) {
      await noisy.sendRaw(topics.telemetry('cart', 'CART-1', 'health'), Buffer.from('not signed'));
    }
    const gone = await connectDevice(t, platform.mqttUrl, dirs[1]!);
    await gone.send(message('health', 'CART-2', 1, { session_id: undefined, state: 'idle' }));
    await gone.send(message('fault', 'CART-2', 2, { session_id: undefined }));
    await eventually(
      async () =>
        (await platform.entities.getDevice('CART-2'))?.lastCounter === 2 ? true : undefined,
      "CART-2's fault projected",
    );
    await gone.close();
    await eventually(
      async () =>
        (await platform.entities.getDevice('CART-2'))?.connected === false ? true : undefined,
      "CART-2's disconnect recorded",
    );
    // CART-3 connected and went away two hours ago, as the broker would have reported it.
    await platform.entities.upsertDevice({
      deviceId: 'CART-3',
      storeId: STORE,
      deviceClass: 'cart',
      certSerialHex: '01',
    });
    await platform.entities.recordConnection('CART-3', false, Date.now() - 2 * HOUR);
    await eventually(
      async () =>
        (await platform.entities.getDevice('CART-1'))?.lastCounter === 3 ? true : undefined,
      "CART-1's boots projected",
    );

    const get = async (path: string, token?: string) =>
      apiRequest(platform, 'GET', path, token === undefined ? {} : { token });

    await t.test('fleet diff: each expected device in one state, revoked apart', async () => {
      const diff = await get(`/v1/stores/${STORE}/fleet-diff`);
      assert.equal(diff.status, 200, JSON.stringify(diff.body));
      const b = diff.body;
      assert.deepEqual(
        [b['expected'], b['connected'], b['recentlySeen'], b['silentCount'], b['neverSeenCount']],
        [5, 1, 1, 1, 2],
      );
      const ids = (key: string) => (b[key] as { deviceId: string }[]).map((d) => d.deviceId);
      assert.deepEqual(ids('silent'), ['CART-3']);
      assert.deepEqual(ids('neverSeen'), ['CART-4', 'CART-5']);
      assert.deepEqual(ids('revoked'), ['CART-6']);
      const silent = (b['silent'] as { lastSeenAt: string }[])[0]!;
      assert.ok(Date.now() - Date.parse(silent.lastSeenAt) >= 2 * HOUR - 1000);
      assert.equal(b['devices'], undefined);

      const day = await get(`/v1/stores/${STORE}/fleet-diff?seenWithin=24h&devices=true`);
      assert.equal(day.body['recentlySeen'], 2);
      assert.deepEqual(
        (day.body['devices'] as { deviceId: string; state: string }[]).map((d) => [
          d.deviceId,
          d.state,
        ]),
        [
          ['CART-1', 'connected'],
          ['CART-2', 'recent'],
          ['CART-3', 'recent'],
          ['CART-4', 'never-seen'],
          ['CART-5', 'never-seen'],
        ],
      );
    });

    await t.test(
      'fleet diff: staff of the store only, 404 for an unknown store, 400 for a bad window',
      async () => {
        const own = await get(
          `/v1/stores/${STORE}/fleet-diff`,
          await apiToken(platform, 'staff', STORE),
        );
        assert.equal(own.status, 200);
        const other = await apiToken(platform, 'staff', 'paris-1');
        assert.equal((await get(`/v1/stores/${STORE}/fleet-diff`, other)).status, 403);
        assert.equal((await get('/v1/stores/nowhere-9/fleet-diff')).status, 404);
        assert.equal((await get(`/v1/stores/${STORE}/fleet-diff?seenWithin=2h`)).status, 400);
      },
    );

    await t.test('top errors: rejects, reboots and faults ranked by their total', async () => {
      // Rejects reach the entity store in batches gathered for a second.
      const top = await eventually(async () => {
        const r = await get('/v1/devices/top-errors');
        const first = (r.body['devices'] as { rejects: number }[] | undefined)?.[0];
        return first?.rejects === 3 ? r.body : undefined;
      }, "CART-1's rejects recorded");
      assert.deepEqual(
        (top['devices'] as Record<string, unknown>[]).map((d) => [
          d['deviceId'],
          d['storeId'],
          d['rejects'],
          d['rejectsByReason'],
          d['faults'],
          d['reboots'],
          d['total'],
        ]),
        [
          ['CART-1', STORE, 3, { json: 3 }, 0, 2, 5],
          ['CART-2', STORE, 0, {}, 1, 0, 1],
        ],
      );
      const limited = await get(`/v1/devices/top-errors?since=1h&limit=1&store=${STORE}`);
      assert.deepEqual(
        (limited.body['devices'] as { deviceId: string }[]).map((d) => d.deviceId),
        ['CART-1'],
      );
      const paris = await get('/v1/devices/top-errors?store=paris-1');
      assert.deepEqual(paris.body['devices'], []);
      assert.equal((await get('/v1/devices/top-errors?since=8d')).status, 400);
      assert.equal((await get('/v1/devices/top-errors?store=nowhere-9')).status, 404);
      const staff = await apiToken(platform, 'staff', STORE);
      assert.equal((await get('/v1/devices/top-errors', staff)).status, 403);
    });

    await t.test(
      'CLI: fleet diff and devices top-errors, with the usage on a bad flag',
      async () => {
        const on = ['--data', data];
        const diff = await cli('fleet', 'diff', ...on, '--store', STORE);
        assert.equal(diff.code, 0, diff.err);
        assert.match(
          diff.out,
          /^berlin-1: 5 expected, 1 connected, 1 seen within 15m, 1 silent, 2 never seen; 1 revoked$/m,
        );
        assert.match(diff.out, /^DEVICE\s+CLASS\s+STATE\s+SEEN$/m);
        assert.match(diff.out, /^CART-3\s+cart\s+silent\s+2h ago$/m);
        assert.match(diff.out, /^CART-4\s+cart\s+never-seen\s+-$/m);
        assert.match(diff.out, /^CART-6\s+cart\s+revoked\s+-$/m);
        const json = await cli(
          'fleet',
          'diff',
          ...on,
          '--store',
          STORE,
          '--json',
          '--seen-within',
          '24h',
        );
        assert.equal(JSON.parse(json.out).recentlySeen, 2);

        const top = await cli('devices', 'top-errors', ...on, '--since', '24h');
        assert.equal(top.code, 0, top.err);
        assert.match(top.out, /^DEVICE\s+STORE\s+REJECTS\s+FAULTS\s+REBOOTS\s+TOTAL\s+REASONS$/m);
        assert.match(top.out, /^CART-1\s+berlin-1\s+3\s+0\s+2\s+5\s+json 3$/m);
        assert.match(top.out, /^CART-2\s+berlin-1\s+0\s+1\s+0\s+1\s+-$/m);

        for (const argv of [
          ['fleet', 'diff', ...on, '--store', STORE, '--seen-within', '2h'],
          ['fleet', 'diff', ...on],
          ['devices', 'top-errors', ...on, '--since', '9d'],
          ['devices', 'top-errors', ...on, '--limit', '0'],
        ]) {
          const r = await cli(...argv);
          assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
          assert.match(r.err, new RegExp(`usage: fleetplane ${argv[0]} ${argv[1]}`));
        }
      },
    );
  });
});
