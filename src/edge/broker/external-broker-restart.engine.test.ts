import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
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

/**
 * A fleet with one device and a Mosquitto of the test's own on the generated configuration
 * (persistence on when asked); `restart` is what `systemctl restart mosquitto` does: SIGTERM
 * (it saves its database), then start. `ingest` starts an external-broker source on it.
 */
async function mosquittoFleet(t: TestContext, deviceId: string, persistent: boolean) {
  const data = await fleetDataDir(t);
  const dir = await provisionDevice(data, deviceId);
  const port = await freePort();
  const identity = openIdentity(data);
  const ca = await loadFleetCa(identity.layout);
  const persistenceDir = persistent ? join(data, 'mosquitto-db') : undefined;
  if (persistenceDir) await mkdir(persistenceDir);
  const files = await writeMosquittoConfig(identity.layout, platformLayout(data), ca, {
    outDir: join(data, 'mosquitto'),
    port,
    hostnames: ['127.0.0.1'],
    now: new Date(),
    ...(persistenceDir ? { persistenceDir } : {}),
    runAsUser: 'root',
  });
  let running = await startMosquitto(t, files.config, port);
  const url = `mqtts://127.0.0.1:${port}`;
  return {
    url,
    device: () => connectDevice(t, url, dir, { reconnect: false }),
    log: () => running.log(),
    async stop(): Promise<void> {
      const stopping = running.process;
      stopping.kill('SIGTERM');
      await new Promise((r) => stopping.once('exit', r));
    },
    async start(): Promise<void> {
      running = await startMosquitto(t, files.config, port);
    },
    async restart(): Promise<void> {
      await this.stop();
      await this.start();
    },
    async ingest(
      clientId: string,
      connections: number,
      handler: (counter: number, source: ExternalBrokerSource) => Promise<void>,
    ): Promise<ExternalBrokerSource> {
      const source: ExternalBrokerSource = new ExternalBrokerSource({
        config: { url, clientId },
        layout: platformLayout(data),
        identity,
        ca,
        connections,
        log: silentLogger(),
        handler: (m: InboundMessage) => {
          const body = Buffer.from(m.payload.subarray(0, -64)).toString();
          return handler((JSON.parse(body) as { counter: number }).counter, source);
        },
      });
      await source.start();
      t.after(() => source.close());
      return source;
    },
  };
}

// Found by the mosquitto-restart fault scenario (decision 050): Mosquitto 2.0 restored the
// ingest's session from its persistence file but delivered it nothing until it subscribed again.
describe('ingest across a restart of an external Mosquitto with persistence', () => {
  it('takes the messages devices publish after Mosquitto is back', async (t) => {
    if (!haveMosquitto(t)) return;
    const fleet = await mosquittoFleet(t, 'CART-0301', true);
    const counters: number[] = [];
    await fleet.ingest('test-restart', 2, (counter) => {
      counters.push(counter);
      return Promise.resolve();
    });
    const before = await fleet.device();
    await before.send(message('health', 'CART-0301', 1));
    await eventually(() => (counters.includes(1) ? true : undefined), 'the first message');
    await before.client.endAsync(true);

    await fleet.restart();
    // Ingest reconnects on its own (a second's period).
    await new Promise((r) => setTimeout(r, 2500));
    const after = await fleet.device();
    for (let counter = 2; counter <= 11; counter++) {
      await after.send(message('health', 'CART-0301', counter));
    }
    await eventually(
      () => (counters.filter((c) => c > 1).length >= 10 ? true : undefined),
      `the ten sent after the restart (had ${counters.join(',')}; ${fleet.log()})`,
    );
    assert.deepEqual(
      [...new Set(counters)].sort((a, b) => a - b),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
    );
  });

  // Mosquitto keeps no shared subscription across a restart (its persistence writes only plain
  // ones), so until ingest subscribes again a device's message has no taker. Mosquitto still
  // PUBACKs it: 0x10, no matching subscribers, on MQTT 5. The device must keep it, not count it sent.
  it('a message no ingest took is kept by the device and sent again, then stored once', async (t) => {
    if (!haveMosquitto(t)) return;
    const fleet = await mosquittoFleet(t, 'CART-0302', false);
    const device = await fleet.device();
    await assert.rejects(device.send(message('health', 'CART-0302', 1)), {
      name: 'NotTakenError',
    });

    const counters: number[] = [];
    await fleet.ingest('test-not-taken', 1, (counter) => {
      counters.push(counter);
      return Promise.resolve();
    });
    await device.send(message('health', 'CART-0302', 1));
    await eventually(() => (counters.includes(1) ? true : undefined), 'the message sent again');
    assert.deepEqual(counters, [1]);
  });

  it('hands ingest every message Mosquitto held for it when it restarted', async (t) => {
    if (!haveMosquitto(t)) return;
    const fleet = await mosquittoFleet(t, 'CART-0303', true);
    const counters = new Set<number>();
    // Slow enough that Mosquitto queues most of the burst for ingest. Each message answered on
    // the device's error topic, as a rejected one is (a redelivered message is a replay): the
    // handler waits for that publish's PUBACK.
    await fleet.ingest('test-held', 4, async (counter, source) => {
      await new Promise((r) => setTimeout(r, 20));
      await source.publish('devices/errors/CART-0303', Buffer.from(`{"counter":${counter}}`));
      counters.add(counter);
    });
    const device = await fleet.device();
    const burst = 300;
    await Promise.all(
      Array.from({ length: burst }, (_, i) => device.send(message('health', 'CART-0303', i + 1))),
    );
    const heldAtStop = burst - counters.size;
    await fleet.stop();
    assert.ok(heldAtStop > 50, `Mosquitto held ${heldAtStop} when it stopped`);
    await fleet.start();
    await eventually(
      () => (counters.size === burst ? true : undefined),
      `all ${burst} (had ${counters.size}; ${fleet.log()})`,
      30_000,
    );
  });
});
