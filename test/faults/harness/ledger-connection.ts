// One connection of a device as the fault scenarios need it: mutual TLS with the device's own
// certificate, MQTT 5 (so a refusal's reason code and the server's DISCONNECT reason are seen),
// QoS 1 publishes each settled by its own PUBACK, and, unlike the bench's connection, a lost
// connection settles every unanswered publish as *not acknowledged*: the device must send it again.
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import mqttPacket from 'mqtt-packet';
import type { DeviceCredentials } from '../../../src/device/link/device-link.js';
import { SoftwareKeystore } from '../../../src/device/secure-element/software-keystore.js';

const V5 = { protocolVersion: 5 } as const;

/** How one publish ended on this connection. */
export type PublishAnswer =
  | { readonly acknowledged: true }
  | { readonly acknowledged: false; readonly reasonCode?: number; readonly why: string };

export class LedgerConnection {
  readonly #pending = new Map<number, (answer: PublishAnswer) => void>();
  #nextMessageId = 1;
  #closed = false;
  /** The reason code of a DISCONNECT the server sent, if it sent one. */
  disconnectReason: number | undefined;
  readonly closed: Promise<void>;
  #markClosed!: () => void;

  private constructor(private readonly socket: TLSSocket) {
    this.closed = new Promise((resolve) => (this.#markClosed = resolve));
  }

  static connect(
    url: string,
    credentials: DeviceCredentials,
    timeoutMs = 10_000,
  ): Promise<LedgerConnection> {
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
      const connection = new LedgerConnection(socket);
      const timer = setTimeout(() => socket.destroy(new Error('no CONNACK in time')), timeoutMs);
      const parser = mqttPacket.parser({ protocolVersion: 5 });
      let connected = false;
      parser.on('packet', (packet) => {
        if (packet.cmd === 'connack') {
          clearTimeout(timer);
          const code = packet.reasonCode ?? packet.returnCode ?? 0;
          if (code !== 0) {
            socket.destroy();
            reject(new Error(`CONNACK 0x${code.toString(16)}`));
            return;
          }
          connected = true;
          resolve(connection);
        } else if (packet.cmd === 'puback' && packet.messageId !== undefined) {
          const settle = connection.#pending.get(packet.messageId);
          connection.#pending.delete(packet.messageId);
          const code = packet.reasonCode ?? 0;
          // 0x00 success and 0x10 no matching subscribers are both "taken".
          settle?.(
            code < 0x80
              ? { acknowledged: true }
              : { acknowledged: false, reasonCode: code, why: `PUBACK 0x${code.toString(16)}` },
          );
        } else if (packet.cmd === 'disconnect') {
          connection.disconnectReason = packet.reasonCode ?? 0;
        }
      });
      parser.on('error', (error) => socket.destroy(error));
      socket.on('data', (chunk: Buffer) => parser.parse(chunk));
      socket.once('secureConnect', () => {
        socket.write(
          mqttPacket.generate(
            {
              cmd: 'connect',
              protocolId: 'MQTT',
              protocolVersion: 5,
              clean: true,
              clientId: credentials.deviceId,
              keepalive: 0,
            },
            V5,
          ),
        );
      });
      socket.on('error', (error) => {
        if (!connected) {
          clearTimeout(timer);
          reject(error);
        }
      });
      socket.once('close', () => {
        clearTimeout(timer);
        if (!connected) reject(new Error(`${credentials.deviceId}: closed before CONNACK`));
        connection.#closed = true;
        const why =
          connection.disconnectReason !== undefined
            ? `connection closed (DISCONNECT 0x${connection.disconnectReason.toString(16)})`
            : 'connection lost';
        for (const settle of connection.#pending.values()) settle({ acknowledged: false, why });
        connection.#pending.clear();
        connection.#markClosed();
      });
    });
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  /** Publishes at QoS 1; resolves with the PUBACK's verdict, or not acknowledged if the connection goes. */
  publish(topic: string, payload: Uint8Array): Promise<PublishAnswer> {
    if (this.#closed) return Promise.resolve({ acknowledged: false, why: 'connection lost' });
    const messageId = this.#nextMessageId;
    this.#nextMessageId = (this.#nextMessageId % 65_535) + 1;
    return new Promise((resolve) => {
      this.#pending.set(messageId, resolve);
      this.socket.write(
        mqttPacket.generate(
          {
            cmd: 'publish',
            topic,
            payload: Buffer.from(payload),
            qos: 1,
            messageId,
            retain: false,
            dup: false,
          },
          V5,
        ),
      );
    });
  }

  /** A clean DISCONNECT. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.socket.end(mqttPacket.generate({ cmd: 'disconnect' }, V5));
    const timer = setTimeout(() => this.socket.destroy(), 2000);
    await this.closed;
    clearTimeout(timer);
  }
}
