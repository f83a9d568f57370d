import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { message } from '../../test-support/messages.js';
import {
  connectDevice,
  eventually,
  fleetDataDir,
  provisionDevice,
  startTestPlatform,
} from '../../test-support/platform.js';
import { openEntityStore } from '../stores/entities/open-entity-store.js';
import { postgresSchema, POSTGRES_URL } from '../../test-support/postgres.js';

describe('platform restart and engines', () => {
  it('a restart mid-stream loses no acknowledged message and stores none twice', async (t) => {
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CART-0100');
    let platform = await startTestPlatform(t, data);
    const port = Number(new URL(platform.mqttUrl).port);
    const cart = await connectDevice(t, platform.mqttUrl, dir);

    const acknowledged = new Set<number>();
    const total = 300;
    const sending = (async () => {
      const inFlight: Promise<void>[] = [];
      for (let counter = 1; counter <= total; counter++) {
        inFlight.push(
          cart.send(message('health', 'CART-0100', counter)).then(() => {
            acknowledged.add(counter);
          }),
        );
        if (inFlight.length >= 10) await inFlight.shift();
        await new Promise((r) => setTimeout(r, 3));
      }
      await Promise.all(inFlight);
    })();

    await eventually(
      () => (acknowledged.size >= 60 ? true : undefined),
      'traffic before the restart',
    );
    await platform.stop();
    const acknowledgedBeforeRestart = new Set(acknowledged);
    platform = await startTestPlatform(t, data, {
      mqtt: { host: '127.0.0.1', port, hostnames: ['127.0.0.1'] },
    });
    await sending;

    const stored = await platform.telemetry.latestForDevice('CART-0100', { limit: 1000 });
    const counters = stored.map((e) => e.counter);
    assert.equal(new Set(counters).size, counters.length, 'no counter stored twice');
    for (const c of acknowledgedBeforeRestart)
      assert.ok(counters.includes(c), `acknowledged ${c} kept`);
    assert.equal(acknowledged.size, total, 'every message was eventually acknowledged');
    assert.equal(counters.length, total);
  });

  it('runs the entity store on the PostgreSQL server', async (t) => {
    const schema = await postgresSchema(t);
    if (!schema) return;
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CART-0101');
    const platform = await startTestPlatform(
      t,
      data,
      { entityUrl: POSTGRES_URL },
      { openEntities: () => openEntityStore({ dataDir: data, url: POSTGRES_URL, schema }) },
    );
    const cart = await connectDevice(t, platform.mqttUrl, dir);
    await cart.send(message('health', 'CART-0101', 1, { battery_pct: 42 }));
    const device = await eventually(async () => {
      const d = await platform.entities.getDevice('CART-0101');
      return d?.batteryPct === 42 ? d : undefined;
    }, 'projection into PostgreSQL');
    assert.equal(device.storeId, 'berlin-1');
  });
});
