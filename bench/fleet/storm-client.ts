// A load-generator process of bench:fleet: holds devices [from, to) of the minted fleet as
// mutual-TLS MQTT connections, opened on command. Lean on purpose (it shares the machine with
// what it measures): one TLS socket per device, a CONNECT written on the handshake, the CONNACK
// read from the first bytes, nothing else kept per connection. The client does not verify the
// server's certificate (the same for every broker measured): its CPU is not the platform's.
// Commands on stdin, one JSON line each: {"op":"connect","count":N,"concurrency":C} opens the
// next N devices not connected, at most C handshakes at a time, and answers with the CONNACK
// latencies;
// {"op":"telemetry","every":K,"rate":R,"seconds":S} makes every K-th connected device send R
// signed health messages a second (QoS 1, signed before the clock starts) and answers with the
// publish-to-PUBACK latencies, which the platform sends once the message is stored;
// {"op":"close"} disconnects them all. Source addresses are spread over 127.0.0.0/8 so that
// 50,000 connections to one port do not run out of ephemeral ports.
import {
  connect as tlsConnect,
  createSecureContext,
  type SecureContext,
  type TLSSocket,
} from 'node:tls';
import { connect as netConnect } from 'node:net';
import { createInterface } from 'node:readline';
import { createPrivateKey } from 'node:crypto';
import mqttPacket from 'mqtt-packet';
import { DEVICE_EXAMPLES } from '../../src/contract/examples.js';
import { encodeSigned, signBody, topicFor } from '../../src/contract/index.js';
import { readFleet } from './fleet-cache.js';

interface Plan {
  readonly host: string;
  readonly port: number;
  readonly devicesFile: string;
  readonly from: number;
  readonly to: number;
  readonly protocolVersion?: 4 | 5;
}

const plan = JSON.parse(process.argv[2] ?? '{}') as Plan;
const devices = await readFleet(plan.devicesFile, plan.from, plan.to);
// A device's TLS context is built once: key and certificate parsing are not what is measured.
const contexts: SecureContext[] = devices.map((d) =>
  createSecureContext({ key: d.key, cert: d.cert }),
);
const sockets: (TLSSocket | undefined)[] = new Array(devices.length);
const send = (event: object) => process.stdout.write(`${JSON.stringify(event)}\n`);
send({ op: 'ready', devices: devices.length });

function sourceAddress(i: number): string {
  const n = plan.from + i;
  return `127.${1 + ((n >> 16) & 0x7f)}.${(n >> 8) & 0xff}.${n & 0xff || 1}`;
}

function connectOne(i: number): Promise<number> {
  const device = devices[i]!;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      socket: netConnect({ host: plan.host, port: plan.port, localAddress: sourceAddress(i) }),
      secureContext: contexts[i]!,
      rejectUnauthorized: false,
    });
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      reject(error);
    };
    socket.once('secureConnect', () => {
      socket.write(
        mqttPacket.generate({
          cmd: 'connect',
          protocolId: 'MQTT',
          protocolVersion: plan.protocolVersion ?? 4,
          clean: true,
          clientId: device.id,
          keepalive: 0,
        }),
      );
    });
    socket.once('data', (chunk: Buffer) => {
      // CONNACK: 0x20, remaining length, flags, return code (3.1.1) or reason code (5).
      if (chunk[0] !== 0x20)
        return fail(new Error(`expected CONNACK, got 0x${chunk[0]?.toString(16)}`));
      if (chunk[3] !== 0) return fail(new Error(`CONNACK ${chunk[3]}`));
      settled = true;
      socket.setTimeout(0);
      sockets[i] = socket;
      resolve(performance.now() - started);
    });
    // A broker that stops accepting (out of file descriptors) leaves the client waiting forever.
    socket.setTimeout(30_000, () => fail(new Error('no CONNACK within 30 s')));
    socket.once('error', fail);
    socket.once('close', () => {
      sockets[i] = undefined;
      fail(new Error('closed before CONNACK'));
    });
  });
}

async function connectSome(count: number, concurrency: number): Promise<void> {
  const latencies: number[] = [];
  const errors = new Map<string, number>();
  const todo: number[] = [];
  for (let i = 0; i < devices.length && todo.length < count; i++) if (!sockets[i]) todo.push(i);
  let next = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const lane = async () => {
    while (next < todo.length) {
      const i = todo[next++]!;
      try {
        latencies.push(await connectOne(i));
      } catch (error) {
        const key = error instanceof Error ? error.message : String(error);
        errors.set(key, (errors.get(key) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, todo.length) }, lane));
  const used = process.cpuUsage(cpu);
  send({
    op: 'connected',
    ok: latencies.length,
    failed: [...errors.values()].reduce((a, b) => a + b, 0),
    errors: Object.fromEntries(errors),
    seconds: (performance.now() - started) / 1000,
    cpu_seconds: (used.user + used.system) / 1e6,
    latencies_ms: latencies.map((l) => Math.round(l * 10) / 10),
  });
}

const PUBACK = 0x40;

/** Signed QoS 1 PUBLISH packets for device `i`, message ids 1…n. */
function presign(i: number, n: number): Buffer[] {
  const device = devices[i]!;
  const key = createPrivateKey(device.key);
  const topic = topicFor('cart', device.id, 'health');
  const ts = new Date().toISOString();
  return Array.from({ length: n }, (_, k) =>
    mqttPacket.generate({
      cmd: 'publish',
      topic,
      payload: Buffer.from(
        encodeSigned(
          { ...DEVICE_EXAMPLES.health, device_id: device.id, counter: Date.now() * 100 + k, ts },
          (body) => signBody(body, key),
        ),
      ),
      qos: 1,
      messageId: k + 1,
      retain: false,
      dup: false,
    }),
  );
}

async function telemetry(every: number, rate: number, seconds: number): Promise<void> {
  const senders = sockets.flatMap((socket, i) =>
    socket && (plan.from + i) % every === 0 ? [i] : [],
  );
  const perDevice = Math.ceil(rate * seconds);
  const packets = senders.map((i) => presign(i, perDevice));
  const latencies: number[] = [];
  let lost = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    senders.map(async (i, d) => {
      const socket = sockets[i]!;
      const sentAt = new Map<number, number>();
      const acked = (chunk: Buffer) => {
        // PUBACKs are 4 bytes each (3.1.1): 0x40 0x02 id id.
        for (let o = 0; o + 4 <= chunk.length; o += 4) {
          if (chunk[o] !== PUBACK) continue;
          const id = chunk.readUInt16BE(o + 2);
          const t0 = sentAt.get(id);
          if (t0 !== undefined) latencies.push(performance.now() - t0);
          sentAt.delete(id);
        }
      };
      socket.on('data', acked);
      // Spread the devices' sends over the first interval so they do not all send at once.
      const interval = 1000 / rate;
      await new Promise((r) => setTimeout(r, (d / senders.length) * interval));
      for (let k = 0; k < perDevice; k++) {
        const due = started + (d / senders.length) * interval + k * interval;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        sentAt.set(k + 1, performance.now());
        socket.write(packets[d]![k]!);
      }
      for (let w = 0; w < 50 && sentAt.size > 0; w++) await new Promise((r) => setTimeout(r, 100));
      lost += sentAt.size;
      socket.off('data', acked);
    }),
  );
  const used = process.cpuUsage(cpu);
  send({
    op: 'telemetry',
    devices: senders.length,
    sent: senders.length * perDevice,
    lost,
    cpu_seconds: (used.user + used.system) / 1e6,
    latencies_ms: latencies.map((l) => Math.round(l * 10) / 10),
  });
}

async function closeAll(): Promise<void> {
  const disconnect = mqttPacket.generate({ cmd: 'disconnect' });
  await Promise.all(
    sockets.map(
      (socket) =>
        socket &&
        new Promise<void>((resolve) => {
          socket.removeAllListeners('close');
          socket.once('close', () => resolve());
          socket.end(disconnect);
        }),
    ),
  );
  sockets.fill(undefined);
  send({ op: 'closed' });
}

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as {
    op: string;
    count?: number;
    concurrency?: number;
    every?: number;
    rate?: number;
    seconds?: number;
  };
  if (command.op === 'connect')
    await connectSome(command.count ?? devices.length, command.concurrency ?? 100);
  else if (command.op === 'telemetry')
    await telemetry(command.every ?? 100, command.rate ?? 1, command.seconds ?? 10);
  else if (command.op === 'close') await closeAll();
}
process.exit(0);
