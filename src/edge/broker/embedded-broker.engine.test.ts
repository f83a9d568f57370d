import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { MAX_PACKET_BYTES, topicFor, topics, type ErrorFeedback } from '../../contract/index.js';
import { message } from '../../../test-support/messages.js';
import {
  deviceSigner,
  deviceTlsCredentials,
  eventually,
  provisionDevice,
  suitePlatform,
} from '../../../test-support/platform.js';

// Real MQTT 5 clients over mutual TLS against the embedded broker of a running platform.
describe('embedded broker with MQTT 5 devices', () => {
  const suite = suitePlatform(async (data) => {
    for (const serial of ['CART-0201', 'CART-0202', 'CART-0203', 'CART-0204']) {
      await provisionDevice(data, serial);
    }
  });

  async function connectV5(
    t: TestContext,
    serial: string,
    options: IClientOptions = {},
  ): Promise<{ client: MqttClient; connack: mqtt.IConnackPacket; errors: ErrorFeedback[] }> {
    const { data, platform } = suite();
    const dir = `${data}/test-devices/${serial}`;
    const client = mqtt.connect(platform.mqttUrl, {
      ...(await deviceTlsCredentials(dir)),
      clientId: serial,
      protocolVersion: 5,
      clean: false,
      properties: { sessionExpiryInterval: 86_400 },
      reconnectPeriod: 0,
      connectTimeout: 5000,
      ...options,
    });
    t.after(() => client.endAsync(true));
    const errors: ErrorFeedback[] = [];
    client.on('message', (topic, payload) => {
      if (topic === topics.errors(serial))
        errors.push(JSON.parse(String(payload)) as ErrorFeedback);
    });
    const connack = await new Promise<mqtt.IConnackPacket>((resolve, reject) => {
      client.once('connect', resolve);
      client.once('error', reject);
      client.once('close', () => reject(new Error('closed before CONNACK')));
    });
    return { client, connack, errors };
  }

  /** The PUBACK reason code of a QoS 1 publish (mqtt.js rejects codes of 0x80 and up). */
  function pubackCode(client: MqttClient, topic: string, payload: Uint8Array): Promise<number> {
    return client.publishAsync(topic, Buffer.from(payload), { qos: 1 }).then(
      (packet) => (packet as { reasonCode?: number } | undefined)?.reasonCode ?? 0,
      (error: { code?: number }) => error.code ?? -1,
    );
  }

  it('admits an MQTT 5 device, announces its limits, and answers each publish in the PUBACK while the reason still reaches devices/errors/<id>', async (t) => {
    const serial = 'CART-0201';
    const { client, connack, errors } = await connectV5(t, serial);
    assert.equal(connack.returnCode ?? connack.reasonCode ?? 0, 0);
    assert.equal(connack.properties?.maximumPacketSize, MAX_PACKET_BYTES);
    assert.equal(connack.properties?.maximumQoS, 1);
    await client.subscribeAsync(topics.errors(serial), { qos: 1 });

    const sign = await deviceSigner(`${suite().data}/test-devices/${serial}`);
    const own = topicFor('cart', serial, 'health');
    const forged = sign(message('health', serial, 2));
    forged[forged.length - 1]! ^= 0xff;
    const codes = {
      stored: await pubackCode(client, own, sign(message('health', serial, 1))),
      forged: await pubackCode(client, own, forged),
      unsigned: await pubackCode(
        client,
        own,
        Buffer.from(JSON.stringify(message('health', serial, 3))),
      ),
      wrongType: await pubackCode(client, own, sign(message('scan', serial, 4))),
      othersTopic: await pubackCode(
        client,
        topicFor('cart', 'CART-0202', 'health'),
        sign(message('health', 'CART-0202', 5)),
      ),
      again: await pubackCode(client, own, sign(message('health', serial, 1))),
    };
    assert.deepEqual(codes, {
      stored: 0x00,
      forged: 0x87,
      unsigned: 0x99,
      wrongType: 0x90,
      othersTopic: 0x87,
      again: 0x00,
    });
    assert.equal(client.connected, true, 'no refusal costs the connection');

    const reasons = await eventually(
      () => (errors.length >= 5 ? errors.map((e) => e.reason) : undefined),
      'five error documents',
    );
    assert.deepEqual(reasons.sort(), ['replay', 'signature', 'topic', 'topic', 'unsigned']);
    const stored = await suite().platform.telemetry.latestForDevice(serial, { limit: 10 });
    assert.deepEqual(
      stored.map((e) => e.counter),
      [1],
    );
  });

  it('refuses a client id that is not the certificate name with 0x85', async (t) => {
    const { data, platform } = suite();
    const client = mqtt.connect(platform.mqttUrl, {
      ...(await deviceTlsCredentials(`${data}/test-devices/CART-0203`)),
      clientId: 'CART-9999',
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    t.after(() => client.endAsync(true));
    const error = await new Promise<Error>((resolve) => client.once('error', resolve));
    assert.equal((error as Error & { code?: number }).code, 0x85);
  });

  it('refuses a device that connects more than 20 times a minute with 0x9F, connection rate exceeded', async (t) => {
    for (let i = 0; i < 20; i++) {
      const { client, connack } = await connectV5(t, 'CART-0204', { clean: true, properties: {} });
      assert.equal(connack.reasonCode ?? 0, 0, `connect ${i + 1}`);
      await client.endAsync(true);
    }
    const refused = await connectV5(t, 'CART-0204', { clean: true, properties: {} }).then(
      () => 0,
      (error: { code?: number }) => error.code ?? -1,
    );
    assert.equal(refused, 0x9f);
  });

  it('keeps the connected-devices gauge as devices come and go', async (t) => {
    const { platform } = suite();
    const gauge = async () =>
      /fleetplane_broker_connected_devices\{device_class="cart"\} (\d+)/.exec(
        await platform.metrics.text(),
      )?.[1];
    const before = Number(await gauge());
    const { client } = await connectV5(t, 'CART-0203');
    assert.equal(Number(await gauge()), before + 1);
    await client.endAsync();
    await eventually(
      async () => (Number(await gauge()) === before ? true : undefined),
      'the gauge back down',
    );
  });
});
