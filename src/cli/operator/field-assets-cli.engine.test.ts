import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capture } from '../../../test-support/cli.js';
import { message } from '../../../test-support/messages.js';
import {
  connectDevice,
  eventually,
  fleetDataDir,
  provisionDevice,
  startTestPlatform,
} from '../../../test-support/platform.js';
import { main } from '../main.js';
import { operatorCommands } from './index.js';

const commands = operatorCommands();

async function run(...argv: string[]) {
  const io = capture();
  const code = await main(argv, io, commands);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

// shipments, excursions, tools and job-sites against one real platform: a cold-chain sensor and
// a tool over mutual TLS send signed readings; every command reads or acts through the API.
describe('shipments, excursions, tools and job-sites commands against a running platform', () => {
  it('creates, lists, shows and closes a shipment; lists, shows and services tools by site', async (t) => {
    const data = await fleetDataDir(t);
    const sensorDir = await provisionDevice(data, 'CC-0601', 'coldchain');
    const toolDir = await provisionDevice(data, 'TOOL-0601', 'tool');
    const platform = await startTestPlatform(t, data);
    const sensor = await connectDevice(t, platform.mqttUrl, sensorDir);
    const tool = await connectDevice(t, platform.mqttUrl, toolDir);
    const start = Date.now() - 30 * 60_000;
    const at = (minute: number) => new Date(start + minute * 60_000).toISOString();

    assert.equal((await run('shipments', 'create', 'SHP-9', '--data', data)).code, 2);
    const created = await run(
      ...['shipments', 'create', 'SHP-9', '--profile', 'frozen', '--devices', 'CC-0601'],
      ...['--start', at(0), '--data', data],
    );
    assert.equal(created.code, 0, created.err);
    assert.match(created.out, /Created shipment SHP-9 \(frozen\) with CC-0601/);
    const temps = [-20, -21, -15, -14.5, -19, -19.5];
    for (const [i, temperature_c] of temps.entries()) {
      await sensor.send(
        message('coldchain-telemetry', 'CC-0601', i + 1, {
          temperature_c,
          shock_g: 0.1,
          ts: at(i + 1),
        }),
      );
    }
    await tool.send(
      message('tool-telemetry', 'TOOL-0601', 1, { usage_minutes: 90, cycles: 12, ts: at(1) }),
    );
    await eventually(async () => {
      const [e] = await platform.entities.listExcursions({ shipmentId: 'SHP-9', limit: 5 });
      return e?.endedAt ? e : undefined;
    }, 'the excursion closed');

    const listed = await run('shipments', 'list', '--open', '--data', data);
    assert.equal(listed.code, 0, listed.err);
    assert.match(listed.out, /SHP-9\s+frozen\s+CC-0601\s+\S+\s+open\s+6\s+1/);
    const shown = await run('shipments', 'show', 'SHP-9', '--data', data);
    assert.match(shown.out, /Profile:\s+frozen \(≤ -18 °C, shock ≤ 2 g\)/);
    assert.match(shown.out, /SHP-9\s+CC-0601\s+temperature\s+\S+\s+2m\s+-14.5\s+-18\s+2/);
    const excursions = await run(
      'excursions',
      'list',
      '--shipment',
      'SHP-9',
      '--json',
      '--data',
      data,
    );
    const parsed = JSON.parse(excursions.out) as { excursions: { durationS: number }[] };
    assert.deepEqual(
      parsed.excursions.map((e) => e.durationS),
      [120],
    );
    assert.match(
      (await run('excursions', 'list', '--shipment', 'no such', '--data', data)).err,
      /--shipment/,
    );
    const closed = await run('shipments', 'close', 'SHP-9', '--data', data);
    assert.match(closed.out, /Shipment SHP-9 closed at .*; 1 excursion/);
    assert.match((await run('shipments', 'show', 'NOPE', '--data', data)).err, /no shipment NOPE/);

    await eventually(
      async () =>
        (await platform.entities.getTool('TOOL-0601'))?.reports === 1 ? true : undefined,
      'the tool report counted',
    );
    // The tool reports SITE-118 (the contract example); only the cloud's assignment counts.
    assert.match((await run('job-sites', 'list', '--data', data)).out, /No job sites/);
    const tools = await run('tools', 'list', '--data', data);
    assert.match(tools.out, /TOOL-0601\s+standard\s+-\s+1.5 h\s+2 %\s+ok\s+71 %/);
    assert.match((await run('tools', 'list', '--due', '--data', data)).out, /No tool is due/);
    const serviced = await run('tools', 'service', 'TOOL-0601', '--note', 'chuck', '--data', data);
    assert.match(serviced.out, /Serviced TOOL-0601 \(by .+\): reset 1.5 h and 12 cycles/);
    const one = await run('tools', 'show', 'TOOL-0601', '--data', data);
    assert.match(one.out, /Since service:\s+0.0 h of 100.0 h/);
    assert.match(one.out, /1.5 h\s+chuck/);
    assert.match(
      (await run('job-sites', 'show', 'SITE-1', '--data', data)).err,
      /no tools at job site SITE-1/,
    );
  });
});
