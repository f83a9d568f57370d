import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { needEngine } from '../../../../test-support/engines.js';
import { startTestServer } from '../../../../test-support/mqtt-test-server.js';
import { ACCEPTED } from './server-types.js';
import { REASON } from './reason-codes.js';

const PYTHON = '/usr/bin/python3';

/**
 * Eclipse Paho's Python client (Debian's python3-paho-mqtt, 1.6.x) against the server, at MQTT 5
 * and 3.1.1: connect, subscribe (one filter allowed, one refused), the retained message, two QoS 1
 * publishes (one accepted, one refused) and the PUBACK reason codes. Paho 1.6 parses a PUBACK's
 * reason code but does not pass it to on_publish, so the script keeps it from Paho's own parse.
 */
const SCRIPT = String.raw`
import json, sys, threading
import paho.mqtt.client as mqtt
from paho.mqtt.properties import Properties
from paho.mqtt.packettypes import PacketTypes

port = int(sys.argv[1])

class Client(mqtt.Client):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.puback_codes = {}

    def _handle_pubackcomp(self, cmd):
        packet = self._in_packet['packet']
        self.puback_codes[int.from_bytes(packet[:2], 'big')] = packet[2] if len(packet) > 2 else 0
        return super()._handle_pubackcomp(cmd)

def need(event, what):
    if not event.wait(5):
        raise SystemExit('no ' + what)

def run(version, client_id):
    v5 = version == mqtt.MQTTv5
    result = {}
    connected, subscribed, received = threading.Event(), threading.Event(), threading.Event()
    client = Client(client_id=client_id, protocol=version, **({} if v5 else {'clean_session': False}))

    def on_connect(c, userdata, flags, rc, properties=None):
        result['connack'] = rc.value if v5 else rc
        result['session_present'] = bool(flags.get('session present'))
        if v5:
            names = ['MaximumPacketSize', 'ReceiveMaximum', 'MaximumQoS', 'RetainAvailable',
                     'WildcardSubscriptionAvailable', 'SharedSubscriptionAvailable', 'TopicAliasMaximum']
            result['announced'] = {n: getattr(properties, n) for n in names if hasattr(properties, n)}
        connected.set()

    def on_subscribe(c, userdata, mid, granted, properties=None):
        result['suback'] = [g.value if v5 else g for g in granted]
        subscribed.set()

    def on_message(c, userdata, message):
        result['message'] = {'topic': message.topic, 'payload': message.payload.decode(),
                             'qos': message.qos, 'retain': bool(message.retain)}
        received.set()

    client.on_connect, client.on_subscribe, client.on_message = on_connect, on_subscribe, on_message
    if v5:
        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = 3600
        client.connect('127.0.0.1', port, keepalive=30, clean_start=False, properties=properties)
    else:
        client.connect('127.0.0.1', port, keepalive=30)
    client.loop_start()
    need(connected, 'CONNACK')
    client.subscribe([('cmd/%s/request' % client_id, 1), ('cmd/other/request', 1)])
    need(subscribed, 'SUBACK')
    need(received, 'retained message')
    codes = []
    for topic in ['dt/cart/%s/health' % client_id, 'dt/cart/other/health']:
        info = client.publish(topic, b'signed bytes', qos=1)
        info.wait_for_publish(5)
        codes.append(client.puback_codes.get(info.mid))
    result['puback'] = codes
    client.disconnect()
    client.loop_stop()
    return result

print(json.dumps({'v5': run(mqtt.MQTTv5, 'paho-5'), 'v311': run(mqtt.MQTTv311, 'paho-4')}))
`;

function pahoAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import paho.mqtt.client'], { stdio: 'ignore' }).status === 0;
}

function runPaho(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-c', SCRIPT, String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`paho script exited ${String(code)}:\n${err}${out}`));
    });
  });
}

describe('MQTT server with Eclipse Paho (Python)', () => {
  it('serves Paho at MQTT 5 and 3.1.1: CONNACK, SUBACK codes, retained delivery, PUBACK reason codes', async (t) => {
    if (!needEngine(t, pahoAvailable(), `Eclipse Paho for Python (${PYTHON}, python3-paho-mqtt)`)) {
      return;
    }
    const published: string[] = [];
    const { server, port } = await startTestServer(t, {
      hooks: {
        onPublish: (clientId, { topic, qos }) => {
          published.push(`${clientId} ${topic} ${qos}`);
          return Promise.resolve(
            topic.includes(clientId) ? ACCEPTED : { reasonCode: REASON.notAuthorized },
          );
        },
        authorizeSubscribe: (clientId, filter) => filter.includes(clientId),
      },
    });
    for (const id of ['paho-5', 'paho-4']) {
      await server.publish(`cmd/${id}/request`, Buffer.from(`hello ${id}`), { retain: true });
    }

    const result = JSON.parse(await runPaho(port)) as Record<
      'v5' | 'v311',
      Record<string, unknown>
    >;
    assert.deepEqual(result.v5, {
      connack: 0,
      session_present: false,
      announced: {
        MaximumPacketSize: 64 * 1024,
        ReceiveMaximum: 64,
        MaximumQoS: 1,
        RetainAvailable: 1,
        WildcardSubscriptionAvailable: 0,
        SharedSubscriptionAvailable: 0,
        TopicAliasMaximum: 0,
      },
      suback: [1, REASON.notAuthorized],
      message: { topic: 'cmd/paho-5/request', payload: 'hello paho-5', qos: 1, retain: true },
      puback: [0, REASON.notAuthorized],
    });
    assert.deepEqual(result.v311, {
      connack: 0,
      session_present: false,
      suback: [1, 0x80],
      message: { topic: 'cmd/paho-4/request', payload: 'hello paho-4', qos: 1, retain: true },
      puback: [0, 0],
    });
    assert.deepEqual(published, [
      'paho-5 dt/cart/paho-5/health 1',
      'paho-5 dt/cart/other/health 1',
      'paho-4 dt/cart/paho-4/health 1',
      'paho-4 dt/cart/other/health 1',
    ]);
  });
});
