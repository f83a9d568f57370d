// The device side of `npm run bench:soak`, in its own lean process: holds `connections` minted
// carts (bench/fleet/fleet-cache.ts) as mutual-TLS MQTT 3.1.1 connections and sends the PRD's
// peak traffic for `carts` carts over them, open loop: message n is due at n / rate seconds and
// is sent then whatever came back before (peak-traffic.ts), signed at that moment with the cart's
// key (about 30 µs, so 1.5 % of a core at 513 a second; presigning half an hour would hold a
// million messages). Each message's latency runs from its due moment to its PUBACK, so a late
// send counts against the figure instead of hiding (no coordinated omission). The embedded
// broker sends the PUBACK once the message is durable; Mosquitto once it has it.
// Reports on stdout, one JSON line each: {"event":"connected",…}, then every `windowSeconds`
// {"event":"window",…} with that window's PUBACK latencies as a histogram, then {"event":"done"}.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { connect as netConnect } from 'node:net';
import {
  connect as tlsConnect,
  createSecureContext,
  type SecureContext,
  type TLSSocket,
} from 'node:tls';
import mqttPacket from 'mqtt-packet';
import { encodeSigned, signBody, topicFor } from '../../src/contract/index.js';
import { readFleet } from '../fleet/fleet-cache.js';
import { SoakCart } from './cart-messages.js';
import { record, type LatencyHistogram } from './latency-histogram.js';
import { PeakSchedule, type PeakMessageType } from './peak-traffic.js';

interface SoakPlan {
  readonly host: string;
  readonly port: number;
  readonly devicesFile: string;
  readonly connections: number;
  readonly carts: number;
  readonly seconds: number;
  readonly windowSeconds: number;
  readonly concurrency: number;
}

const plan = JSON.parse(process.argv[2] ?? '{}') as SoakPlan;
const report = (m: object) => process.stdout.write(`${JSON.stringify(m)}\n`);

interface Lane {
  readonly cart: SoakCart;
  readonly key: KeyObject;
  readonly context: SecureContext;
  readonly topics: Record<PeakMessageType, string>;
  socket?: TLSSocket;
  nextMessageId: number;
  /** The type of the last message sent: what was in flight when a connection is dropped. */
  lastType?: PeakMessageType;
  /** Message id → the moment its message was due (performance.now()). */
  readonly pending: Map<number, number>;
}

const minted = await readFleet(plan.devicesFile, 0, plan.connections);
if (minted.length < plan.connections)
  throw new Error(`the fleet holds ${minted.length} devices, ${plan.connections} asked`);
const lanes: Lane[] = minted.map((d) => ({
  cart: new SoakCart(d.id),
  key: createPrivateKey(d.key),
  context: createSecureContext({ key: d.key, cert: d.cert }),
  topics: {
    'session-start': topicFor('cart', d.id, 'session-start'),
    scan: topicFor('cart', d.id, 'scan'),
    health: topicFor('cart', d.id, 'health'),
    'session-end': topicFor('cart', d.id, 'session-end'),
  },
  nextMessageId: 1,
  pending: new Map(),
}));

let histogram: LatencyHistogram = {};
let acked = 0;
let dropped = 0;
/** Dropped connections by the type of their last message and whether it was still unacknowledged. */
const droppedAfter: Record<string, number> = {};
let loadStartedAt = 0;
let loadStopAt = Infinity;
let reconnected = 0;
let lostOnDrop = 0;

// 10,000 connections from one address to one port would take a third of the ephemeral ports.
const sourceAddress = (i: number) =>
  `127.${1 + ((i >> 16) & 0x7f)}.${(i >> 8) & 0xff}.${i & 0xff || 1}`;

function connectLane(lane: Lane, i: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      socket: netConnect({ host: plan.host, port: plan.port, localAddress: sourceAddress(i) }),
      secureContext: lane.context,
      // The platform's and Mosquitto's server certificates are not what is measured; the
      // broker verifies the device's, which is the mutual part that costs.
      rejectUnauthorized: false,
    });
    socket.setNoDelay(true);
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    let connected = false;
    parser.on('packet', (packet) => {
      if (packet.cmd === 'connack') {
        if (packet.returnCode !== 0)
          return socket.destroy(new Error(`CONNACK ${packet.returnCode}`));
        connected = true;
        lane.socket = socket;
        socket.setTimeout(0);
        resolve();
      } else if (packet.cmd === 'puback' && packet.messageId !== undefined) {
        const due = lane.pending.get(packet.messageId);
        if (due === undefined) return;
        lane.pending.delete(packet.messageId);
        record(histogram, performance.now() - due);
        acked++;
      }
    });
    parser.on('error', (error) => socket.destroy(error));
    socket.on('data', (chunk: Buffer) => parser.parse(chunk));
    socket.once('secureConnect', () =>
      socket.write(
        mqttPacket.generate({
          cmd: 'connect',
          protocolId: 'MQTT',
          protocolVersion: 4,
          clean: true,
          clientId: lane.cart.deviceId,
          keepalive: 0,
        }),
      ),
    );
    socket.setTimeout(30_000, () => socket.destroy(new Error('no CONNACK within 30 s')));
    let lastError = '';
    socket.on('error', (error) => {
      lastError = error.message;
      if (!connected) reject(error);
    });
    socket.once('close', () => {
      if (!connected) return reject(new Error('closed before CONNACK'));
      // A held connection that the broker closes mid-soak is a finding, not noise: counted, by
      // what was sent last on it.
      lane.socket = undefined;
      dropped++;
      const how = lastError === '' ? 'closed' : lastError;
      const key =
        loadStartedAt === 0
          ? `before the load, ${how}`
          : `${lane.lastType ?? 'nothing'}${lane.pending.size > 0 ? ' unacknowledged' : ''}, ${how}`;
      droppedAfter[key] = (droppedAfter[key] ?? 0) + 1;
      // A cart reconnects (a second later, here); what it had in flight stays unacknowledged,
      // and what falls due before it is back is counted as unsendable.
      lostOnDrop += lane.pending.size;
      lane.pending.clear();
      if (performance.now() < loadStopAt)
        setTimeout(
          () =>
            void connectLane(lane, i).then(
              () => reconnected++,
              () => undefined,
            ),
          1000,
        );
    });
  });
}

// First-time admissions on a loaded machine can pass the 30 s CONNACK wait: a cart would try
// again, so the failed ones do, up to four more rounds, before the run gives up.
const connectStart = performance.now();
const errors: Record<string, number> = {};
let todo = lanes.map((_, i) => i);
for (let round = 0; round < 5 && todo.length > 0; round++) {
  const failedNow: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(plan.concurrency, todo.length) }, async () => {
      while (next < todo.length) {
        const i = todo[next++]!;
        await connectLane(lanes[i]!, i).catch((error: unknown) => {
          const reason = error instanceof Error ? error.message : String(error);
          errors[reason] = (errors[reason] ?? 0) + 1;
          failedNow.push(i);
        });
      }
    }),
  );
  todo = failedNow;
}
report({
  event: 'connected',
  connections: lanes.length - todo.length,
  failed: todo.length,
  errors,
  seconds: (performance.now() - connectStart) / 1000,
});
if (todo.length > 0) process.exit(1);

const schedule = new PeakSchedule(plan.carts, lanes.length);
const start = performance.now();
loadStartedAt = start;
const stopAt = start + plan.seconds * 1000;
loadStopAt = stopAt;
const cpuStart = process.cpuUsage();
let sent = 0;
let unsendable = 0;
let sentInWindow = 0;
let maxLateMs = 0;
report({ event: 'load-started', rate: schedule.rate });

function send(n: number, due: number): void {
  const { connection, type } = schedule.next(n);
  const lane = lanes[connection]!;
  const message = lane.cart.message(type, new Date().toISOString());
  if (!lane.socket) {
    unsendable++;
    return;
  }
  const messageId = lane.nextMessageId;
  lane.nextMessageId = (messageId % 65_535) + 1;
  const payload = Buffer.from(encodeSigned(message, (body) => signBody(body, lane.key)));
  lane.pending.set(messageId, due);
  lane.lastType = type;
  lane.socket.write(
    mqttPacket.generate({
      cmd: 'publish',
      topic: lane.topics[type],
      payload,
      qos: 1,
      messageId,
      retain: false,
      dup: false,
    }),
  );
  sent++;
  sentInWindow++;
}

const pendingCount = () => lanes.reduce((a, l) => a + l.pending.size, 0);
let windowIndex = 0;
let windowCpu = process.cpuUsage();
const closeWindow = () => {
  const cpu = process.cpuUsage(windowCpu);
  windowCpu = process.cpuUsage();
  report({
    event: 'window',
    index: windowIndex++,
    t: (performance.now() - start) / 1000,
    sent: sentInWindow,
    histogram,
    pending: pendingCount(),
    max_late_ms: Number(maxLateMs.toFixed(1)),
    load_cpu_s: (cpu.user + cpu.system) / 1e6,
    dropped,
  });
  histogram = {};
  sentInWindow = 0;
  maxLateMs = 0;
};
const windows = setInterval(closeWindow, plan.windowSeconds * 1000);

for (let n = 0; ;) {
  const now = performance.now();
  if (now >= stopAt) break;
  // Everything due by now goes out now; each is timed from when it was due.
  for (
    let due = start + schedule.dueAt(n) * 1000;
    due <= now;
    due = start + schedule.dueAt(n) * 1000
  ) {
    maxLateMs = Math.max(maxLateMs, now - due);
    send(n++, due);
  }
  const wait = start + schedule.dueAt(n) * 1000 - performance.now();
  await new Promise((r) => setTimeout(r, Math.max(0, wait)));
}
clearInterval(windows);
// The stragglers' PUBACKs, for up to 10 s: what never comes is reported as unacknowledged.
for (let w = 0; w < 100 && pendingCount() > 0; w++) await new Promise((r) => setTimeout(r, 100));
closeWindow();
const cpu = process.cpuUsage(cpuStart);
report({
  event: 'done',
  sent,
  acked,
  unacknowledged: pendingCount() + lostOnDrop,
  unsendable,
  dropped,
  dropped_after: droppedAfter,
  reconnected,
  load_cpu_s: (cpu.user + cpu.system) / 1e6,
  wall_s: (performance.now() - start) / 1000,
});
const disconnect = mqttPacket.generate({ cmd: 'disconnect' });
await Promise.all(
  lanes.map(
    (lane) =>
      lane.socket &&
      new Promise<void>((resolve) => {
        lane.socket!.removeAllListeners('close');
        lane.socket!.once('close', () => resolve());
        lane.socket!.end(disconnect);
      }),
  ),
);
process.exit(0);
