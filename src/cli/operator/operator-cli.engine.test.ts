import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { capture, caDataDir } from '../../../test-support/cli.js';
import { message } from '../../../test-support/messages.js';
import {
  connectDevice,
  eventually,
  fleetDataDir,
  provisionDevice,
  receivedCommands,
  runCli,
  startTestPlatform,
} from '../../../test-support/platform.js';
import { issueToken, loadTokenKeys } from '../../surfaces/api/tokens.js';
import { main } from '../main.js';
import { otaCommands } from '../ota/index.js';
import { operatorCommands } from './index.js';

const commands = operatorCommands();

async function run(...argv: string[]) {
  const io = capture();
  const code = await main(argv, io, commands);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n'), lines: io.stdout };
}

function fits(lines: readonly string[]): void {
  for (const line of lines) assert.ok([...line].length <= 80, `wider than 80: ${line}`);
}

// The operator's terminal against one real embedded platform (started once: platform starts are
// the expensive part): a cart over mutual TLS sends signed health and scans, raises a
// loss-prevention alert and answers a ping; every command reads or acts through the API.
describe('operator CLI against a running platform', () => {
  it('lists, shows and acts on devices, stores, rollouts, commands, shadows and alerts', async (t) => {
    const data = await fleetDataDir(t);
    await runCli('store', 'add', '--data', data, '--id', 'paris-1', '--name', 'Paris 1');
    const dir = await provisionDevice(data, 'CART-0901');
    const platform = await startTestPlatform(t, data);
    const cart = await connectDevice(t, platform.mqttUrl, dir);
    const received = receivedCommands(cart);
    const sessionId = randomUUID();
    // The boot tells the platform the cart's hardware, which the rollout below targets.
    await cart.send(message('boot', 'CART-0901', 1, { hardware_rev: 'v2-proto' }));
    await cart.send(message('health', 'CART-0901', 2, { battery_pct: 55 }));
    await cart.send(message('session-start', 'CART-0901', 3, { session_id: sessionId }));
    await cart.send(
      message('scan', 'CART-0901', 4, {
        session_id: sessionId,
        scan_seq: 1,
        weight_check: 'mismatch',
        weight_delta_g: 40,
      }),
    );
    await eventually(
      async () =>
        (await platform.entities.getDevice('CART-0901'))?.lastCounter === 4 ? true : undefined,
      'the four events projected',
    );
    const on = ['--data', data];

    await t.test('devices list: a table of every store’s devices, and the API JSON', async () => {
      const table = await run('devices', 'list', ...on);
      assert.equal(table.code, 0, table.err);
      assert.match(table.lines[0]!, /^DEVICE\s+STORE\s+CLASS\s+ON\s+SEEN\s+FW\s+BATT\s+STATE$/);
      assert.match(table.out, /CART-0901\s+berlin-1\s+cart\s+yes\s+(now|\S+ ago)\s+\S+\s+55%/);
      fits(table.lines);
      const json = await run('devices', 'list', ...on, '--store', 'paris-1', '--json');
      assert.deepEqual(JSON.parse(json.out), { devices: [] });
      const none = await run('devices', 'list', ...on, '--class', 'tool');
      assert.equal(none.out, 'No devices have connected yet.');
    });

    await t.test('devices show and history: one device, then its events newest first', async () => {
      const shown = await run('devices', 'show', 'CART-0901', ...on);
      assert.equal(shown.code, 0, shown.err);
      assert.match(shown.out, /Device: +CART-0901 \(cart\) in store berlin-1/);
      assert.match(shown.out, /Connected: +yes, last seen/);
      assert.match(shown.out, /Battery: +55%/);
      assert.match(shown.out, new RegExp(`Session: +${sessionId}`));
      assert.match(shown.out, /Shadow: /);
      const json = JSON.parse((await run('devices', 'show', 'CART-0901', ...on, '--json')).out);
      assert.equal(json.device.deviceId, 'CART-0901');
      assert.equal(json.shadow.deviceId, 'CART-0901');

      const history = await run('devices', 'history', 'CART-0901', ...on, '--limit', '2');
      assert.equal(history.code, 0, history.err);
      assert.match(history.lines[0]!, /^COUNTER\s+TYPE\s+RECEIVED\s+DETAIL$/);
      assert.equal(history.lines.length, 3);
      assert.match(
        history.lines[1]!,
        new RegExp(`^\\s+4\\s+scan\\s+\\S+( ago)?\\s+session_id=${sessionId.slice(0, 8)} `),
      );
      assert.match(history.lines[2]!, /^\s+3\s+session-start\s/);
      fits(history.lines);
      const health = await run(
        'devices',
        'history',
        'CART-0901',
        ...on,
        '--type',
        'health',
        '--json',
      );
      const events = JSON.parse(health.out).events as { counter: number; battery_pct: number }[];
      assert.deepEqual(
        events.map((e) => [e.counter, e.battery_pct]),
        [[2, 55]],
      );
    });

    await t.test('stores list: the running platform’s stores with their carts', async () => {
      const table = await run('stores', 'list', ...on);
      assert.equal(table.code, 0, table.err);
      assert.match(table.out, /^berlin-1\s+Berlin 1\s+eu\s+-\s+1$/m);
      assert.match(table.out, /^paris-1\s+Paris 1\s+-\s+-\s+0$/m);
      const json = JSON.parse((await run('stores', 'list', ...on, '--json')).out);
      assert.deepEqual(
        json.stores.map((s: { storeId: string }) => s.storeId),
        ['berlin-1', 'paris-1'],
      );
    });

    await t.test('shadow set and get: desired beside reported, and what differs', async () => {
      const set = await run(
        'shadow',
        'set',
        '--device',
        'CART-0901',
        '--desired',
        '{"health_interval_s": 120}',
        ...on,
      );
      assert.equal(set.code, 0, set.err);
      assert.match(set.out, /CART-0901: desired version 1, /);
      const got = await run('shadow', 'get', 'CART-0901', ...on);
      assert.match(got.out, /^health_interval_s\s+120\s+-\s+no$/m);
      assert.equal(
        JSON.parse((await run('shadow', 'get', 'CART-0901', ...on, '--json')).out).desiredVersion,
        1,
      );
      const bad = await run('shadow', 'set', 'CART-0901', '--desired', '{"colour": "red"}', ...on);
      assert.equal(bad.code, 1, 'the API refuses a key that is not shadow state');
      assert.match(bad.err, /PATCH \/v1\/devices\/CART-0901\/shadow: 400 /);
    });

    await t.test(
      'commands send --wait: the device answers, the command succeeds; list and show it',
      async () => {
        const sending = run(
          'commands',
          'send',
          '--device',
          'CART-0901',
          '--name',
          'ping',
          '--timeout',
          '600',
          '--wait',
          ...on,
        );
        const ping = await eventually(
          () => received.find((c) => c.name === 'ping'),
          'the ping on the cart',
        );
        await cart.send(
          message('command-response', 'CART-0901', 5, {
            command_id: ping.command_id,
            status: 'succeeded',
            duplicate: false,
          }),
        );
        const sent = await sending;
        assert.equal(sent.code, 0, sent.err);
        assert.match(
          sent.out,
          new RegExp(
            `^ping on CART-0901 \\(command ${ping.command_id}\\): succeeded, answered in \\d+ms\\.$`,
          ),
        );

        const list = await run('commands', 'list', '--device', 'CART-0901', ...on);
        assert.match(
          list.out,
          new RegExp(`^${ping.command_id}\\s+ping\\s+succeeded\\s+(now|\\S+ ago)\\s+\\d+ms$`, 'm'),
        );
        fits(list.lines);
        const shown = await run('commands', 'show', ping.command_id, ...on);
        assert.match(shown.out, /Requested by: +ops:fleetplane-cli/);
        const fired = await run(
          'commands',
          'send',
          '--device',
          'CART-0901',
          '--name',
          'sync-catalog',
          ...on,
          '--json',
        );
        assert.equal(fired.code, 0, fired.err);
        assert.match(JSON.parse(fired.out).commandId, /^[0-9a-f-]{36}$/);
      },
    );

    await t.test('alerts list, ack and resolve: by the short id the table shows', async () => {
      const listed = await eventually(async () => {
        const r = await run('alerts', 'list', ...on);
        return r.out.includes('weight-mismatch') ? r : undefined;
      }, 'the weight-mismatch alert listed');
      assert.match(listed.lines[0]!, /^ALERT\s+STORE\s+DEVICE\s+KIND\s+STATE\s+SEEN\s+BY$/);
      const short = /^([0-9a-f]{8})\s+berlin-1\s+CART-0901\s+weight-mismatch\s+open\s/m.exec(
        listed.out,
      )?.[1];
      assert.ok(short, listed.out);
      fits(listed.lines);

      const ack = await run('alerts', 'ack', short, ...on);
      assert.equal(ack.code, 0, ack.err);
      assert.match(
        ack.out,
        new RegExp(
          `Alert ${short} \\(weight-mismatch on CART-0901 in berlin-1\\) is acknowledged, by ops:fleetplane-cli\\.`,
        ),
      );
      const again = await run('alerts', 'ack', short, ...on);
      assert.equal(again.code, 1);
      assert.match(again.err, /409 .*acknowledged/);
      const page = JSON.parse(
        (
          await run(
            'alerts',
            'list',
            ...on,
            '--store',
            'berlin-1',
            '--state',
            'acknowledged',
            '--json',
          )
        ).out,
      );
      assert.equal(page.alerts.length, 1);
      assert.equal(page.next, null);
      assert.match(
        (await run('alerts', 'resolve', short, '--store', 'berlin-1', ...on)).out,
        /is resolved/,
      );
      assert.equal((await run('alerts', 'list', ...on, '--state', 'open')).out, 'No open alerts.');
      assert.equal(
        (await run('alerts', 'list', ...on, '--since', '1s', '--store', 'paris-1')).out,
        'No alerts in paris-1.',
      );
    });

    await t.test('rollouts list and show, by the short id', async () => {
      const image = join(data, 'fw-2.5.0.bin');
      const manifest = join(data, 'fw-2.5.0.manifest.json');
      await writeFile(image, randomBytes(4096));
      const ota = async (...argv: string[]) => {
        const io = capture();
        assert.equal(await main(['ota', ...argv], io, otaCommands()), 0, io.text());
        return io.text();
      };
      await ota(
        'build',
        ...on,
        '--image',
        image,
        '--out',
        manifest,
        '--version',
        '2.5.0',
        '--hardware',
        'v2-proto',
      );
      const created = await ota(
        'rollout',
        'create',
        ...on,
        '--manifest',
        manifest,
        '--image',
        image,
      );
      const id = /Rollout ([0-9a-f-]{36}) started/.exec(created)?.[1];
      assert.ok(id, created);
      const list = await run('rollouts', 'list', ...on);
      assert.equal(list.code, 0, list.err);
      assert.match(
        list.out,
        new RegExp(`^${id.slice(0, 8)}\\s+cart\\s+2\\.5\\.0\\s+\\S+\\s+1/`, 'm'),
      );
      fits(list.lines);
      const shown = await run('rollouts', 'show', id.slice(0, 8), ...on);
      assert.equal(shown.code, 0, shown.err);
      assert.match(shown.out, new RegExp(`^${id}  cart → 2\\.5\\.0`));
      assert.equal(
        JSON.parse((await run('rollouts', 'show', id, ...on, '--json')).out).rolloutId,
        id,
      );
      const unknown = await run('rollouts', 'show', 'ffffffff', ...on);
      assert.equal(unknown.code, 1);
      assert.match(unknown.err, /no rollout ffffffff \[not-found\]/);
    });

    await t.test(
      '--url with --token (and --ca) reaches the same platform; API errors exit 1',
      async () => {
        const token = await issueToken(
          await loadTokenKeys(platform.layout.tokenKey),
          { role: 'ops' },
          new Date(),
        );
        const remote = [
          '--url',
          platform.apiUrl,
          '--token',
          token,
          ...(platform.apiTrust ? ['--ca', platform.apiTrust.file] : []),
        ];
        const stores = await run('stores', 'list', ...remote);
        assert.equal(stores.code, 0, stores.err);
        assert.match(stores.out, /^berlin-1\s+Berlin 1/m);
        const missing = await run('devices', 'show', 'CART-9999', ...remote);
        assert.equal(missing.code, 1);
        assert.match(
          missing.err,
          /GET \/v1\/devices\/CART-9999: 404 no device CART-9999 \[api-error\]/,
        );
        const staff = await issueToken(
          await loadTokenKeys(platform.layout.tokenKey),
          { role: 'staff', store: 'paris-1' },
          new Date(),
        );
        const denied = await run(
          'devices',
          'list',
          '--store',
          'berlin-1',
          ...remote.map((a) => (a === token ? staff : a)),
        );
        assert.equal(denied.code, 1);
        assert.match(denied.err, /403/);
      },
    );

    await t.test(
      'exit codes: 2 for bad flags before any request, 1 when no platform runs',
      async () => {
        for (const argv of [
          ['devices', 'list'],
          ['devices', 'list', ...on, '--url', platform.apiUrl],
          ['devices', 'list', ...on, '--class', 'toaster'],
          ['devices', 'history', 'CART-0901', ...on, '--limit', '0'],
          ['commands', 'send', '--device', 'CART-0901', '--name', 'explode', ...on],
          ['commands', 'send', '--device', 'CART-0901', '--name', 'ping', '--args', '[1]', ...on],
          ['alerts', 'list', ...on, '--since', 'yesterday'],
          ['alerts', 'list', ...on, '--after', 'abc'],
          ['devices', 'show', 'CART-0901', 'CART-0902', ...on],
        ]) {
          const r = await run(...argv);
          assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
          assert.match(r.err, /usage: fleetplane /);
        }
        // A data directory (it has its fleet CA) on which no platform runs.
        const empty = await caDataDir(t);
        const down = await run('devices', 'list', '--data', empty);
        assert.equal(down.code, 1);
        assert.match(
          down.err,
          new RegExp(
            `no platform is running on ${empty}; start it \\(fleetplane start --data ${empty}\\)`,
          ),
        );
      },
    );
  });
});
