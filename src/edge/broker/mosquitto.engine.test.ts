import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { encodeSigned, frame, MAX_PAYLOAD_BYTES, topicFor } from '../../contract/index.js';
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
  runCli,
  startTestPlatform,
} from '../../../test-support/platform.js';
import { ExternalBrokerSource } from './external-broker.js';
import { writeMosquittoConfig } from './mosquitto-config.js';

async function mosquittoFor(t: TestContext, data: string) {
  const port = await freePort();
  const identity = openIdentity(data);
  /** Writes (or rewrites, refreshing crl.pem) the generated configuration. */
  const generate = async () =>
    writeMosquittoConfig(
      identity.layout,
      platformLayout(data),
      await loadFleetCa(identity.layout),
      {
        outDir: join(data, 'mosquitto'),
        port,
        hostnames: ['127.0.0.1'],
        now: new Date(),
        runAsUser: 'root',
      },
    );
  const files = await generate();
  const broker = await startMosquitto(t, files.config, port);
  return { url: `mqtts://127.0.0.1:${port}`, broker, files, generate };
}

// The same ingest against Debian's Mosquitto with the generated configuration.
describe('ingest from an external Mosquitto', () => {
  it('stores valid messages once and rejects bad ones with a reason on the error topic', async (t) => {
    if (!haveMosquitto(t)) return;
    const data = await fleetDataDir(t);
    const a = await provisionDevice(data, 'CART-0201');
    const b = await provisionDevice(data, 'CART-0202');
    const { url } = await mosquittoFor(t, data);
    const platform = await startTestPlatform(t, data, { externalBroker: { url } });
    const cart = await connectDevice(t, url, a);
    const other = await connectDevice(t, url, b);
    const sign = (m: object) => encodeSigned(m, (x) => cart.credentials.secureElement.sign(x));
    const own = topicFor('cart', 'CART-0201', 'health');

    await cart.send(message('health', 'CART-0201', 1));
    await cart.send(message('health', 'CART-0201', 1));
    await cart.sendRaw(own, frame(Buffer.from('{"x'), new Uint8Array(64)));
    await cart.sendRaw(own, new Uint8Array(MAX_PAYLOAD_BYTES + 1).fill(0x20));
    await cart.sendRaw(own, Buffer.from(JSON.stringify(message('health', 'CART-0201', 2))));
    const forged = sign(message('health', 'CART-0201', 3));
    forged[forged.length - 1]! ^= 0xff;
    await cart.sendRaw(own, forged);
    await cart.sendRaw(own, sign(message('scan', 'CART-0201', 4)));
    // Mosquitto's ACL drops a publish on another device's topic: it never reaches ingest.
    await cart.sendRaw(
      topicFor('cart', 'CART-0202', 'health'),
      sign(message('health', 'CART-0202', 5)),
    );

    const reasons = await eventually(
      () => (cart.rejections.length >= 6 ? cart.rejections.map((r) => r.reason).sort() : undefined),
      'six rejections',
    );
    assert.deepEqual(reasons, ['json', 'replay', 'signature', 'size', 'topic', 'unsigned']);
    const stored = await platform.telemetry.eventsAfter(0, 100);
    assert.deepEqual(
      stored.map((e) => `${e.deviceId}:${e.counter}`),
      ['CART-0201:1'],
    );
    assert.deepEqual(other.rejections, []);
  });

  it('stops taking a revoked device at once, and Mosquitto refuses it once restarted with the new CRL', async (t) => {
    if (!haveMosquitto(t)) return;
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CART-0203');
    const { url, broker, generate } = await mosquittoFor(t, data);
    const platform = await startTestPlatform(t, data, { externalBroker: { url } });
    const cart = await connectDevice(t, url, dir, { reconnect: false });
    await cart.send(message('health', 'CART-0203', 1));
    await runCli('revoke', '--data', data, '--serial', 'CART-0203');
    await eventually(
      () => (platform.revocations.isDeviceRevoked('CART-0203') ? true : undefined),
      'the revocation to be seen',
    );
    await cart.send(message('health', 'CART-0203', 2));
    const feedback = await eventually(() => cart.rejections[0], 'a revoked rejection');
    assert.equal(feedback.reason, 'revoked');
    assert.equal(await platform.telemetry.count(), 1);

    // Mosquitto reads its CRL only at start (SIGHUP reloads the server certificate, not the
    // CA or CRL files), so the runbook is: regenerate, restart.
    const files = await generate();
    broker.process.kill('SIGTERM');
    await new Promise((r) => broker.process.once('exit', r));
    await startMosquitto(t, files.config, Number(new URL(url).port));
    await assert.rejects(connectDevice(t, url, dir, { reconnect: false }));
  });

  it('splits the load across ingest processes in one shared-subscription group', async (t) => {
    if (!haveMosquitto(t)) return;
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CART-0204');
    const { url } = await mosquittoFor(t, data);
    const identity = openIdentity(data);
    const ca = await loadFleetCa(identity.layout);
    const seen: Map<number, string[]> = new Map();
    const sources = ['one', 'two'].map(
      (name) =>
        new ExternalBrokerSource({
          config: { url, clientId: `test-${name}` },
          layout: platformLayout(data),
          identity,
          ca,
          connections: 1,
          log: silentLogger(),
          handler: async (m: InboundMessage) => {
            const counter = (
              JSON.parse(Buffer.from(m.payload.subarray(0, -64)).toString()) as { counter: number }
            ).counter;
            seen.set(counter, [...(seen.get(counter) ?? []), name]);
          },
        }),
    );
    for (const source of sources) {
      await source.start();
      t.after(() => source.close());
    }
    const cart = await connectDevice(t, url, dir);
    for (let counter = 1; counter <= 40; counter++)
      await cart.send(message('health', 'CART-0204', counter));
    await eventually(() => (seen.size === 40 ? true : undefined), 'all forty delivered');
    const receivers = [...seen.values()];
    assert.ok(
      receivers.every((r) => r.length === 1),
      'each message went to exactly one ingest',
    );
    assert.ok(
      receivers.some((r) => r[0] === 'one') && receivers.some((r) => r[0] === 'two'),
      'both took a share',
    );
  });

  it('refuses a publish still waiting for its PUBACK when the connection closes, so a stopping platform does not wait forever', async (t) => {
    if (!haveMosquitto(t)) return;
    const data = await fleetDataDir(t);
    const { url, broker } = await mosquittoFor(t, data);
    const identity = openIdentity(data);
    const source = new ExternalBrokerSource({
      config: { url, clientId: 'test-closing' },
      layout: platformLayout(data),
      identity,
      ca: await loadFleetCa(identity.layout),
      connections: 1,
      log: silentLogger(),
      handler: () => Promise.resolve(),
    });
    await source.start();
    // A broker that stopped answering: the PUBACK of a reject's feedback never comes.
    broker.process.kill('SIGSTOP');
    t.after(() => broker.process.kill('SIGCONT'));
    const refused = assert.rejects(
      source.publish('devices/CART-0205/errors', Buffer.from('{}')),
      /closed/,
    );
    await source.close();
    await refused;
    await assert.rejects(
      source.publish('devices/CART-0205/errors', Buffer.from('{}')),
      /not connected/,
    );
  });
});
