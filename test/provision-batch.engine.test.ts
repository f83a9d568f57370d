import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { join } from 'node:path';
import { message } from '../test-support/messages.js';
import {
  STORE,
  connectDevice,
  eventually,
  fleetDataDir,
  runCli,
  startTestPlatform,
} from '../test-support/platform.js';

// A device of a factory batch is a device like any other: its files connect it over mutual TLS
// to the platform, whose admission reads the registry record the batch wrote.
describe('a batch-provisioned device on the platform', () => {
  it('connects over mutual TLS and its messages are taken', async (t) => {
    const data = await fleetDataDir(t);
    const out = join(data, 'factory-run');
    const text = await runCli(
      'provision',
      '--data',
      data,
      '--batch',
      '3',
      '--prefix',
      'LINE7-',
      '--store',
      STORE,
      '--out',
      out,
    );
    assert.match(text, /Provisioned 3 of 3 devices/);
    const platform = await startTestPlatform(t, data);
    const cart = await connectDevice(t, platform.mqttUrl, join(out, 'LINE7-0002'));
    await cart.send(message('health', 'LINE7-0002', 1, { battery_pct: 77 }));
    const device = await eventually(async () => {
      const d = await platform.entities.getDevice('LINE7-0002');
      return d?.batteryPct === 77 ? d : undefined;
    }, 'the batch device health projected');
    assert.equal(device.storeId, STORE);
    assert.equal(cart.rejections.length, 0);
  });
});
