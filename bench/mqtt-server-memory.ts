// node --expose-gc --import tsx bench/mqtt-server-memory.ts [--connections N] [--version 4|5]
// Heap the device-facing MQTT server (src/edge/broker/mqtt-server) holds per idle connection with
// a device's persistent session and its four subscriptions, over plain TCP: the server's own
// share, without TLS (the embedded broker adds Node's TLS socket on top). The clients run in a
// child process so that only the server's side is in the measured heap. --baseline holds the same
// sockets with no MQTT at all: the difference is what the MQTT server adds to Node's socket.
import { fork } from 'node:child_process';
import { createServer, connect, type Socket } from 'node:net';
import { parseArgs } from 'node:util';
import mqttPacket from 'mqtt-packet';
import { ACCEPTED, MqttServer } from '../src/edge/broker/mqtt-server/index.js';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '2000' },
    version: { type: 'string', default: '4' },
    port: { type: 'string' },
    clients: { type: 'boolean', default: false },
    baseline: { type: 'boolean', default: false },
  },
});
const count = Number(values.connections);
const version = Number(values.version) as 4 | 5;

if (values.clients) {
  await openClients(Number(values.port));
} else {
  await measure();
}

async function measure(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const server = new MqttServer<string>({
    maxPacketBytes: 64 * 1024,
    hooks: {
      authenticate: (packet) => Promise.resolve(packet.clientId),
      onPublish: () => Promise.resolve(ACCEPTED),
      authorizeSubscribe: () => true,
    },
  });
  let held = 0;
  const listener = createServer((socket) => {
    if (!values.baseline) return server.handle(socket);
    held++;
    socket.on('data', () => undefined);
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const { port } = listener.address() as { port: number };
  const heap = () => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  // mqtt-packet builds a cache of every 2-byte number (about 6 MB) at its first generate: a cost
  // per process, not per connection, so it is paid before the measurement.
  mqttPacket.generate({ cmd: 'connack', sessionPresent: false, returnCode: 0 });
  const before = heap();
  const child = fork(new URL(import.meta.url), [
    '--clients',
    '--port',
    String(port),
    '--connections',
    String(count),
    '--version',
    String(version),
  ]);
  await new Promise<void>((resolve) => child.once('message', () => resolve()));
  const connected = () => (values.baseline ? held : server.connectionCount);
  while (connected() < count) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 500));
  const after = heap();
  const perConnection = Math.round((after - before) / count);
  console.log(
    JSON.stringify({
      connections: connected(),
      sessions: server.sessionCount,
      mqtt_version: values.baseline ? 'none (sockets only)' : version,
      heap_bytes_per_connection: perConnection,
      node: process.version,
    }),
  );
  child.kill();
  await server.close();
  listener.close();
}

async function openClients(port: number): Promise<void> {
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i++) {
    const socket = connect(port, '127.0.0.1');
    socket.on('data', () => undefined);
    const id = `DEV-${String(i).padStart(6, '0')}`;
    const packets = [
      mqttPacket.generate(
        {
          cmd: 'connect',
          protocolId: 'MQTT',
          protocolVersion: version,
          clientId: id,
          clean: false,
          keepalive: 60,
          ...(version === 5 ? { properties: { sessionExpiryInterval: 86_400 } } : {}),
        },
        { protocolVersion: version },
      ),
      mqttPacket.generate(
        {
          cmd: 'subscribe',
          messageId: 1,
          subscriptions: ['cmd', 'shadow', 'jobs', 'devices/errors'].map((t) => ({
            topic: `${t}/${id}`,
            qos: 1 as const,
          })),
        },
        { protocolVersion: version },
      ),
    ];
    socket.write(Buffer.concat(packets));
    sockets.push(socket);
    if (i % 200 === 199) await new Promise((r) => setTimeout(r, 20));
  }
  process.send?.('ready');
  await new Promise(() => undefined);
}
