// Sends the malformed stream (malformed-packets.ts) to a running platform's broker over mutual
// TLS and checks every packet was answered as MQTT requires: a fatal one by the connection
// closing (after a DISCONNECT or CONNACK with a reason code, where the protocol has one), a
// refused one by its own PUBACK or SUBACK with a failure code. Samples the platform's resident
// memory from /proc while it runs.
import { readFileSync } from 'node:fs';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import mqttPacket, { type Packet } from 'mqtt-packet';
import {
  connectBytes,
  FATAL_PROBES,
  REFUSED_PROBES,
  type FatalProbe,
  type Version,
} from './malformed-packets.js';

export interface StreamDevice {
  readonly deviceId: string;
  readonly key: string;
  readonly cert: string;
  readonly ca: string;
}

export interface StreamOptions {
  readonly url: string;
  /** Devices holding the connections that send refused probes, one each. */
  readonly devices: readonly StreamDevice[];
  /**
   * Devices whose connections carry the fatal probes, one connection at a time each: a second
   * connection of one device would take the first's session over and be "answered" by that.
   */
  readonly fatalDevices: readonly StreamDevice[];
  /** Packets in all; most are refused ones on open connections, the rest fatal ones. */
  readonly total: number;
  /** Connections of fatal probes that need a CONNECT first (each costs a connect token). */
  readonly afterConnectProbes: number;
  /** Connections of fatal probes sent before any CONNECT. */
  readonly beforeConnectProbes: number;
  readonly pid: number;
  readonly log: (line: string) => void;
}

export interface StreamFigures {
  packets: number;
  answered: number;
  unanswered: number;
  connections: number;
  /** How each was answered: "closed", "disconnect 0x81", "connack 0x85", "puback 0x87"… */
  answers: Record<string, number>;
  /** Classes whose packets went unanswered, with a count. */
  unansweredByClass: Record<string, number>;
  /** The longest a fatal probe of each class waited for its answer, ms. */
  slowestAnswerMs: Record<string, number>;
  /** Open connections for refused probes that the platform closed (it should not). */
  refusedSessionsClosed: number;
  rssSamplesMb: number[];
}

const ANSWER_TIMEOUT_MS = 20_000;

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Math.round(Number(kb) / 102.4) / 10;
}

function open(url: string, device: StreamDevice | undefined): Promise<TLSSocket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host: hostname,
      port: Number(port),
      ca: device?.ca ?? devicesCa,
      ...(device ? { key: device.key, cert: device.cert } : {}),
      rejectUnauthorized: true,
      servername: 'localhost',
    });
    socket.once('secureConnect', () => resolve(socket));
    socket.once('error', reject);
  });
}
let devicesCa = '';

/** Reads the server's packets off `socket` and says how the exchange ended. */
function watch(socket: TLSSocket, version: Version) {
  const parser = mqttPacket.parser({ protocolVersion: version });
  const packets: Packet[] = [];
  let parseFailed = false;
  parser.on('packet', (p: Packet) => packets.push(p));
  parser.on('error', () => (parseFailed = true));
  socket.on('data', (chunk: Buffer) => parser.parse(chunk));
  const closed = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), ANSWER_TIMEOUT_MS);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
    socket.on('error', () => undefined);
  });
  return { packets, closed, parseFailed: () => parseFailed };
}

function answerOf(packets: readonly Packet[], closed: boolean): string | undefined {
  const last = packets.at(-1);
  if (last?.cmd === 'disconnect') return `disconnect 0x${(last.reasonCode ?? 0).toString(16)}`;
  if (last?.cmd === 'connack' && (last.reasonCode ?? last.returnCode ?? 0) !== 0) {
    return `connack 0x${(last.reasonCode ?? last.returnCode ?? 0).toString(16)}`;
  }
  return closed ? 'closed' : undefined;
}

async function fatal(
  options: StreamOptions,
  probe: FatalProbe,
  device: StreamDevice,
  version: Version,
  figures: StreamFigures,
): Promise<void> {
  figures.connections++;
  figures.packets += probe.packets;
  let socket: TLSSocket;
  try {
    socket = await open(options.url, probe.noCertificate ? undefined : device);
  } catch {
    // Refused in the handshake (no certificate): the connection closed is the answer.
    return count(figures, 'closed (handshake)', probe.packets);
  }
  const seen = watch(socket, version);
  if (probe.afterConnect) {
    socket.write(
      connectBytes(version, device.deviceId, probe.name.startsWith('truncated') ? 2 : 0),
    );
    const start = Date.now();
    while (!seen.packets.some((p) => p.cmd === 'connack') && Date.now() - start < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const connack = seen.packets.find((p) => p.cmd === 'connack');
    if (!connack || (connack.reasonCode ?? connack.returnCode ?? 0) !== 0) {
      socket.destroy();
      const code = connack ? (connack.reasonCode ?? connack.returnCode ?? 0) : undefined;
      return count(
        figures,
        code === undefined ? 'no connack' : `connack 0x${code.toString(16)} (before the probe)`,
        probe.packets,
      );
    }
  }
  const sent = Date.now();
  socket.write(probe.bytes(version, device.deviceId));
  const closed = await seen.closed;
  const waited = Date.now() - sent;
  figures.slowestAnswerMs[probe.name] = Math.max(figures.slowestAnswerMs[probe.name] ?? 0, waited);
  socket.destroy();
  const answer = answerOf(seen.packets, closed);
  if (answer === undefined) {
    figures.unanswered += probe.packets;
    figures.unansweredByClass[probe.name] =
      (figures.unansweredByClass[probe.name] ?? 0) + probe.packets;
    return;
  }
  count(figures, answer, probe.packets);
}

function count(figures: StreamFigures, answer: string, n: number): void {
  figures.answered += n;
  figures.answers[answer] = (figures.answers[answer] ?? 0) + n;
}

/** One device's MQTT 5 connection sending `n` refused probes, up to 32 unanswered at a time. */
async function refusedSession(
  options: StreamOptions,
  device: StreamDevice,
  n: number,
  figures: StreamFigures,
): Promise<void> {
  figures.connections++;
  const socket = await open(options.url, device);
  const seen = watch(socket, 5);
  const pending = new Map<number, string>();
  let wake: (() => void) | undefined;
  const parser = mqttPacket.parser({ protocolVersion: 5 });
  socket.on('data', (chunk: Buffer) => parser.parse(chunk));
  let connected = false;
  parser.on('packet', (p: Packet) => {
    if (p.cmd === 'connack') connected = true;
    if ((p.cmd === 'puback' || p.cmd === 'suback') && p.messageId !== undefined) {
      const name = pending.get(p.messageId);
      if (name === undefined) return;
      pending.delete(p.messageId);
      const codes = p.cmd === 'puback' ? [p.reasonCode ?? 0] : (p.granted as number[]);
      count(figures, `${p.cmd} 0x${(codes[0] ?? 0).toString(16)}`, 1);
    }
    wake?.();
  });
  let closed = false;
  void seen.closed.then((c) => {
    closed = c;
    wake?.();
  });
  socket.once('close', () => {
    closed = true;
    wake?.();
  });
  const until = (check: () => boolean) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wake = undefined;
        resolve();
      }, ANSWER_TIMEOUT_MS);
      wake = () => {
        if (!check() && !closed) return;
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
      wake();
    });
  socket.write(connectBytes(5, device.deviceId));
  await until(() => connected);
  let messageId = 0;
  for (let i = 0; i < n && !closed; i++) {
    if (pending.size >= 32) await until(() => pending.size < 16);
    if (closed) break;
    messageId = (messageId % 65_535) + 1;
    const probe = REFUSED_PROBES[i % REFUSED_PROBES.length]!;
    pending.set(messageId, probe.name);
    figures.packets++;
    socket.write(probe.bytes(device.deviceId, messageId));
  }
  await until(() => pending.size === 0);
  if (closed) figures.refusedSessionsClosed++;
  for (const name of pending.values()) {
    figures.unanswered++;
    figures.unansweredByClass[name] = (figures.unansweredByClass[name] ?? 0) + 1;
  }
  socket.end();
}

export async function runMalformedStream(options: StreamOptions): Promise<StreamFigures> {
  devicesCa = options.devices[0]!.ca;
  const figures: StreamFigures = {
    packets: 0,
    answered: 0,
    unanswered: 0,
    connections: 0,
    answers: {},
    unansweredByClass: {},
    slowestAnswerMs: {},
    refusedSessionsClosed: 0,
    rssSamplesMb: [],
  };
  const sampler = setInterval(() => figures.rssSamplesMb.push(rssMb(options.pid)), 1_000);
  const progress = setInterval(
    () =>
      options.log(
        `${figures.packets} packets sent, ${figures.answered} answered, ${figures.unanswered} unanswered, RSS ${rssMb(options.pid)} MB`,
      ),
    5_000,
  );
  try {
    const before = FATAL_PROBES.filter((p) => !p.afterConnect);
    const after = FATAL_PROBES.filter((p) => p.afterConnect);
    // One queue of probes per fatal device, run one after another.
    const queues = options.fatalDevices.map((device) => ({
      device,
      probes: [] as { probe: FatalProbe; version: Version }[],
    }));
    const fatalTotal = options.beforeConnectProbes + options.afterConnectProbes;
    let fatalPackets = 0;
    for (let i = 0; i < fatalTotal; i++) {
      const afterConnect = i >= options.beforeConnectProbes;
      const classes = afterConnect ? after : before;
      const probe = classes[i % classes.length]!;
      fatalPackets += probe.packets;
      queues[i % queues.length]!.probes.push({ probe, version: i % 2 ? 5 : 4 });
    }
    const refused = Math.max(0, options.total - fatalPackets);
    const perDevice = Math.ceil(refused / options.devices.length);
    await Promise.all([
      ...queues.map(async ({ device, probes }) => {
        for (const { probe, version } of probes)
          await fatal(options, probe, device, version, figures);
      }),
      ...options.devices.map((device, i) =>
        refusedSession(
          options,
          device,
          Math.max(0, Math.min(perDevice, refused - i * perDevice)),
          figures,
        ),
      ),
    ]);
  } finally {
    clearInterval(sampler);
    clearInterval(progress);
  }
  return figures;
}
