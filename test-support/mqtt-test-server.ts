// The device-facing MQTT server on plain TCP with hooks a test controls, and the two kinds of
// client its protocol tests use: mqtt.js (a real client library) and a raw client that sends
// exactly the packets a test writes and records every packet it gets back, in order.
import assert from 'node:assert/strict';
import { createServer, connect, type Socket } from 'node:net';
import type { TestContext } from 'node:test';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import mqttPacket, { type IConnackPacket, type IPublishPacket, type Packet } from 'mqtt-packet';
import {
  ACCEPTED,
  MqttServer,
  type InboundPublish,
  type MqttServerHooks,
  type MqttServerOptions,
} from '../src/edge/broker/mqtt-server/index.js';

export interface TestServer {
  readonly server: MqttServer<string>;
  readonly port: number;
  readonly url: string;
  /** Every publish handed to onPublish, with the client id that sent it. */
  readonly published: (InboundPublish & { readonly clientId: string })[];
  /** "connected <id>" and "disconnected <id>", in order. */
  readonly events: string[];
  /** The server side of every connection accepted, oldest first. */
  readonly sockets: Socket[];
}

/** The principal is the client id; every publish is accepted and every subscription allowed. */
export async function startTestServer(
  t: TestContext,
  options: Partial<Omit<MqttServerOptions<string>, 'hooks'>> & {
    readonly hooks?: Partial<MqttServerHooks<string>>;
  } = {},
): Promise<TestServer> {
  const published: (InboundPublish & { clientId: string })[] = [];
  const events: string[] = [];
  const hooks: MqttServerHooks<string> = {
    authenticate: (connect) => Promise.resolve(connect.clientId),
    onPublish: (clientId, publish) => {
      published.push({ ...publish, clientId });
      return Promise.resolve(ACCEPTED);
    },
    authorizeSubscribe: () => true,
    connected: (clientId) => events.push(`connected ${clientId}`),
    disconnected: (clientId) => events.push(`disconnected ${clientId}`),
    ...options.hooks,
  };
  const server = new MqttServer<string>({ maxPacketBytes: 64 * 1024, ...options, hooks });
  const sockets: Socket[] = [];
  const listener = createServer((socket) => {
    sockets.push(socket);
    server.handle(socket);
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const { port } = listener.address() as { port: number };
  t.after(async () => {
    const closed = new Promise<void>((resolve) => listener.close(() => resolve()));
    await server.close();
    await closed;
  });
  return { server, port, url: `mqtt://127.0.0.1:${port}`, published, events, sockets };
}

/** An mqtt.js client that does not reconnect, ended when the test ends. */
export async function mqttClient(
  t: TestContext,
  url: string,
  options: IClientOptions,
): Promise<MqttClient> {
  const client = await mqtt.connectAsync(url, {
    reconnectPeriod: 0,
    connectTimeout: 3000,
    ...options,
  });
  t.after(() => client.endAsync(true));
  return client;
}

/** Sends packets as written and keeps everything the server sends, in order. */
export class RawClient {
  readonly received: Packet[] = [];
  readonly closed: Promise<void>;
  /** The CONNACK, once `connected` has had it. */
  connack: IConnackPacket | undefined;
  #waiters: (() => void)[] = [];

  private constructor(
    readonly socket: Socket,
    readonly version: 4 | 5,
  ) {
    const parser = mqttPacket.parser({ protocolVersion: version });
    parser.on('packet', (packet: Packet) => {
      this.received.push(packet);
      for (const wake of this.#waiters.splice(0)) wake();
    });
    socket.on('data', (chunk: Buffer) => parser.parse(chunk));
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    void this.closed.then(() => {
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  static async open(t: TestContext, port: number, version: 4 | 5 = 4): Promise<RawClient> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    t.after(() => socket.destroy());
    return new RawClient(socket, version);
  }

  /** Opens a connection and completes CONNECT/CONNACK with `clientId`. */
  static async connected(
    t: TestContext,
    port: number,
    clientId: string,
    version: 4 | 5 = 4,
    extra: { clean?: boolean; keepalive?: number; properties?: Record<string, unknown> } = {},
  ): Promise<RawClient> {
    const client = await RawClient.open(t, port, version);
    client.send({
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: version,
      clientId,
      clean: extra.clean ?? true,
      keepalive: extra.keepalive ?? 0,
      ...(extra.properties ? { properties: extra.properties } : {}),
    });
    const connack = await client.next('connack');
    assert.equal(connack.returnCode ?? connack.reasonCode, 0);
    client.connack = connack;
    return client;
  }

  send(packet: Packet): boolean {
    return this.socket.write(mqttPacket.generate(packet, { protocolVersion: this.version }));
  }

  /** A QoS 1 PUBLISH. */
  publish(topic: string, messageId: number, payload: Buffer | string = 'x'): boolean {
    return this.send({
      cmd: 'publish',
      topic,
      payload: Buffer.from(payload),
      qos: 1,
      retain: false,
      dup: false,
      messageId,
    });
  }

  /** Subscribes at QoS 1 and waits for the SUBACK; returns its codes. */
  async subscribe(topics: readonly string[], messageId = 1): Promise<number[]> {
    this.send({
      cmd: 'subscribe',
      messageId,
      subscriptions: topics.map((topic) => ({ topic, qos: 1 as const })),
    });
    return (await this.next('suback')).granted as number[];
  }

  /** Every PUBLISH received so far (taken out of `received`). */
  publishes(): IPublishPacket[] {
    const taken = this.received.filter((p): p is IPublishPacket => p.cmd === 'publish');
    this.received.splice(
      0,
      this.received.length,
      ...this.received.filter((p) => p.cmd !== 'publish'),
    );
    return taken;
  }

  /** The first packet received of `cmd` not yet taken, waiting up to `timeoutMs` for it. */
  async next<C extends Packet['cmd']>(
    cmd: C,
    timeoutMs = 3000,
  ): Promise<Extract<Packet, { cmd: C }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.received.findIndex((p) => p.cmd === cmd);
      if (index >= 0) return this.received.splice(index, 1)[0] as Extract<Packet, { cmd: C }>;
      if (this.socket.destroyed || this.socket.readableEnded) {
        assert.fail(`connection closed while waiting for ${cmd}`);
      }
      if (Date.now() > deadline) assert.fail(`no ${cmd} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Resolves when the server has closed the connection; fails after `timeoutMs`. */
  async waitClosed(timeoutMs = 3000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still open after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 10 ms until it holds; fails after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`condition not met within ${timeoutMs} ms`);
    await sleep(10);
  }
}
