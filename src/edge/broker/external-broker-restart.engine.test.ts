import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadFleetCa, openIdentity } from '../identity/index.js';
import { silentLogger } from '../../shared/observability/logger.js';
import { platformLayout } from '../../platform/platform-layout.js';
import type { InboundMessage } from '../../pipeline/ingest/ingest-pipeline.js';
import { message } from '../../../test-support/messages.js';
import { freePort, haveMosquitto, startMosquitto } from '../../../test-support/mosquitto.js';
import {
  connectDevice,
  eventually,
  fleetDataDir,
  provisionDevice,
} from '../../../test-support/platform.js';
import { ExternalBrokerSource } from './external-broker.js';
import { writeMosquittoConfig } from './mosquitto-config.js';

// Found by the mosquitto-restart fault scenario (decision 050): Mosquitto 2.0 restored the
// ingest's session from its persistence file but delivered it nothing until it subscribed again.
describe('ingest across a restart of an external Mosquitto with persistence', () => {
  it('takes the messages devices publish after Mosquitto is back', async (t) => {
    if (!haveMosquitto(t)) return;
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CART-0301');
    const port = await freePort();
    const identity = openIdentity(data);
    const ca = await loadFleetCa(identity.layout);
    const persistenceDir = join(data, 'mosquitto-db');
    await mkdir(persistenceDir);
    const files = await writeMosquittoConfig(identity.layout, platformLayout(data), ca, {
      outDir: join(data, 'mosquitto'),
      port,
      hostnames: ['127.0.0.1'],
      now: new Date(),
      persistenceDir,
      runAsUser: 'root',
    });
    const first = await startMosquitto(t, files.config, port);
    const url = `mqtts://127.0.0.1:${port}`;
    const counters: number[] = [];
    const source = new ExternalBrokerSource({
      config: { url, clientId: 'test-restart' },
      layout: platformLayout(data),
      identity,
      ca,
      connections: 2,
      log: silentLogger(),
      handler: (m: InboundMessage) => {
        const body = Buffer.from(m.payload.subarray(0, -64)).toString();
        counters.push((JSON.parse(body) as { counter: number }).counter);
        return Promise.resolve();
      },
    });
    await source.start();
    t.after(() => source.close());
    const before = await connectDevice(t, url, dir, { reconnect: false });
    await before.send(message('health', 'CART-0301', 1));
    await eventually(() => (counters.includes(1) ? true : undefined), 'the first message');
    await before.client.endAsync(true);

    // What `systemctl restart mosquitto` does: SIGTERM (it saves its database), start.
    first.process.kill('SIGTERM');
    await new Promise((r) => first.process.once('exit', r));
    const second = await startMosquitto(t, files.config, port);
    // Ingest reconnects on its own (a second's period).
    await new Promise((r) => setTimeout(r, 2500));
    const after = await connectDevice(t, url, dir, { reconnect: false });
    for (let counter = 2; counter <= 11; counter++) {
      await after.send(message('health', 'CART-0301', counter));
    }
    await eventually(
      () => (counters.filter((c) => c > 1).length >= 10 ? true : undefined),
      `the ten sent after the restart (had ${counters.join(',')}; ${second.log()})`,
    );
    assert.deepEqual(
      [...new Set(counters)].sort((a, b) => a - b),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
    );
  });
});
