// A device's MQTT 3.1.1 connection reduced to what bench:ingest's throughput phase needs:
// mutual TLS with the device's own certificate, CONNECT, and QoS 1 PUBLISH packets encoded ahead
// of time, each written as its own TLS record and settled by its PUBACK. mqtt.js costs the load
// generator about 70 µs of CPU per message (its store, timers and callbacks); on a 2-core machine
// shared with the platform that CPU would be taken from the platform being measured.
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import mqttPacket from 'mqtt-packet';
import type { DeviceCredentials } from '../src/device/link/device-link.js';
import { SoftwareKeystore } from '../src/device/secure-element/software-keystore.js';

export class RawDeviceConnection {
  readonly #pending = new Map<number, () => void>();
  #nextMessageId = 1;

  private constructor(
    readonly credentials: DeviceCredentials,
    private readonly socket: TLSSocket,
  ) {}

  static connect(url: string, credentials: DeviceCredentials): Promise<RawDeviceConnection> {
    const { hostname, port } = new URL(url);
    const element = credentials.secureElement;
    if (!(element instanceof SoftwareKeystore)) throw new Error('needs a software keystore');
    return new Promise((resolve, reject) => {
      const socket = tlsConnect({
        host: hostname,
        port: Number(port),
        key: element.exportTlsKeyPem(),
        cert: credentials.certChainPem,
        ca: credentials.trustPem,
        rejectUnauthorized: true,
      });
      socket.setNoDelay(true);
      const connection = new RawDeviceConnection(credentials, socket);
      const parser = mqttPacket.parser({ protocolVersion: 4 });
      let connected = false;
      parser.on('packet', (packet) => {
        if (packet.cmd === 'connack') {
          if (packet.returnCode !== 0) reject(new Error(`CONNACK ${String(packet.returnCode)}`));
          connected = true;
          resolve(connection);
        } else if (packet.cmd === 'puback' && packet.messageId !== undefined) {
          const settle = connection.#pending.get(packet.messageId);
          connection.#pending.delete(packet.messageId);
          settle?.();
        }
      });
      parser.on('error', (error) => socket.destroy(error));
      socket.on('data', (chunk: Buffer) => parser.parse(chunk));
      socket.once('secureConnect', () => {
        socket.write(
          mqttPacket.generate({
            cmd: 'connect',
            protocolId: 'MQTT',
            protocolVersion: 4,
            clean: true,
            clientId: credentials.deviceId,
            keepalive: 0,
          }),
        );
      });
      socket.once('error', (error) => (connected ? undefined : reject(error)));
      socket.once('close', () => {
        if (!connected) reject(new Error(`${credentials.deviceId}: closed before CONNACK`));
        for (const settle of connection.#pending.values()) settle();
        connection.#pending.clear();
      });
    });
  }

  /** A QoS 1 PUBLISH, encoded now so that sending it later costs only the write. */
  encode(topic: string, payload: Uint8Array): { messageId: number; packet: Buffer } {
    const messageId = this.#nextMessageId;
    this.#nextMessageId = (this.#nextMessageId % 65_535) + 1;
    const packet = mqttPacket.generate({
      cmd: 'publish',
      topic,
      payload: Buffer.from(payload),
      qos: 1,
      messageId,
      retain: false,
      dup: false,
    });
    return { messageId, packet };
  }

  /** Resolves on the PUBACK, which the embedded broker sends once the message is durable. */
  send(encoded: { messageId: number; packet: Buffer }): Promise<void> {
    return new Promise((resolve) => {
      this.#pending.set(encoded.messageId, resolve);
      this.socket.write(encoded.packet);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.socket.end(mqttPacket.generate({ cmd: 'disconnect' }), () => resolve());
      this.socket.once('close', () => resolve());
    });
  }
}
