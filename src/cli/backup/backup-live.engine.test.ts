import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { opsGet } from '../../../test-support/api-client.js';
import { capture } from '../../../test-support/cli.js';
import { message } from '../../../test-support/messages.js';
import {
  connectDevice,
  eventually,
  fleetDataDir,
  importMembersCsv,
  provisionDevice,
  startTestPlatform,
} from '../../../test-support/platform.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { allCommands } from '../commands.js';
import { main } from '../main.js';
import type { DeviceLink } from '../../device/link/device-link.js';

async function ok(...argv: string[]): Promise<string> {
  const io = capture();
  const code = await main(argv, io, allCommands);
  assert.equal(code, 0, io.text());
  return io.stdout.join('\n');
}

/** Sends health messages, paced, until stopped; `acked` holds each counter once its PUBACK came. */
function keepSending(link: DeviceLink, acked: number[], stopped: () => boolean): Promise<void> {
  const id = link.credentials.deviceId;
  return (async () => {
    for (let counter = 1; !stopped() && counter <= 900; counter++) {
      await link.send(message('health', id, counter));
      acked.push(counter);
      await new Promise((r) => setTimeout(r, 15));
    }
  })();
}

describe('backup of a running platform', () => {
  it('restores a directory that starts and holds every message acknowledged before the backup began, once', async (t) => {
    const data = await fleetDataDir(t);
    const work = await tempDir(t);
    const serials = ['CART-0001', 'CART-0002'];
    const dirs = await Promise.all(serials.map((s) => provisionDevice(data, s)));
    // An EU member: the platform opens the EU vault, so the backup copies it through the platform too.
    await importMembersCsv(
      t,
      data,
      'loyalty_number,first_name,last_name,email,phone,address,region\n' +
        '6012345678905555,Ann,Baker,ann.baker@example.com,,,eu\n',
    );
    const platform = await startTestPlatform(t, data);
    const links = await Promise.all(dirs.map((d) => connectDevice(t, platform.mqttUrl, d)));
    const acked = new Map(serials.map((s) => [s, [] as number[]]));
    let stop = false;
    const senders = links.map((link, i) => keepSending(link, acked.get(serials[i]!)!, () => stop));
    const total = () => [...acked.values()].reduce((n, list) => n + list.length, 0);
    await eventually(() => (total() >= 60 ? true : undefined), '60 acknowledged messages');

    const before = new Map([...acked].map(([serial, list]) => [serial, [...list]]));
    const out = join(work, 'fleet.tar.gz');
    const summary = JSON.parse(await ok('backup', '--data', data, '--out', out, '--json')) as {
      live: boolean;
      unknown: string[];
      sets: { set: string }[];
    };
    assert.deepEqual(summary.sets.map((s) => s.set).sort(), ['core', 'keys', 'vault-eu']);
    const during = total() - [...before.values()].reduce((n, l) => n + l.length, 0);
    stop = true;
    await Promise.all(senders);
    assert.equal(summary.live, true);
    // provisionDevice writes the devices' own files under DIR/test-devices, as an operator may put
    // anything there: carried in core and reported. Everything the platform wrote has a rule.
    assert.deepEqual(
      summary.unknown,
      ['test-devices'],
      'entries of a running data directory with no backup rule',
    );
    assert.ok(during > 0, 'devices kept sending while the backup ran');
    await platform.stop();

    const restored = join(work, 'restored');
    await ok('restore', '--from', out, '--data', restored);
    const again = await startTestPlatform(t, restored);
    for (const serial of serials) {
      const { status, body } = await opsGet(
        again,
        `/v1/devices/${serial}/events?limit=1000&type=health`,
      );
      assert.equal(status, 200, JSON.stringify(body));
      const counters = (body['events'] as { counter: number }[]).map((e) => e.counter);
      assert.equal(new Set(counters).size, counters.length, `${serial}: a message stored twice`);
      const held = new Set(counters);
      const lost = before.get(serial)!.filter((c) => !held.has(c));
      assert.deepEqual(lost, [], `${serial}: acknowledged before the backup began, not restored`);
    }
    const device = await opsGet(again, `/v1/devices/${serials[0]}`);
    assert.equal(device.status, 200, 'the restored entity store knows the device');
    await again.stop();
    assert.match(
      await ok(
        'dsar',
        'export',
        '--data',
        restored,
        '--loyalty',
        '6012345678905555',
        '--region',
        'eu',
      ),
      /ann\.baker@example\.com/,
    );
  });
});
