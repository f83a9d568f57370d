// An in-memory broker and cloud for cart unit tests: it takes the cart's signed payloads, checks
// signature and (device, counter) the way ingest does, answers rejections on the error topic and
// lets a test send commands and desired shadow documents. Network I/O is a microtask away.
import { randomUUID } from 'node:crypto';
import { createPublicKey, type KeyObject } from 'node:crypto';
import {
  isDeviceMessageType,
  splitFrame,
  validateDeviceMessage,
  verifyBody,
  type CommandRequest,
  type DeviceMessage,
  type ErrorFeedback,
  type RejectReason,
  type ShadowDesired,
} from '../src/contract/index.js';
import type { LinkFactory, LinkHandlers } from '../src/device/cart/uplink.js';
import type { Radio } from '../src/device/cart/radios.js';

export interface Received {
  readonly message: DeviceMessage;
  readonly topic: string;
  readonly radio: Radio;
  /** When it arrived, real ms (performance.now()). */
  readonly at: number;
}

export class FakeBroker {
  readonly received: Received[] = [];
  readonly rejected: ErrorFeedback[] = [];
  /** False: connects fail and live connections drop (the store's network is gone). */
  reachable = true;
  readonly #publicKey: KeyObject;
  readonly #counters = new Set<number>();
  #handlers: LinkHandlers | undefined;
  #connections = 0;

  constructor(
    readonly deviceId: string,
    publicKeySpki: Uint8Array,
  ) {
    this.#publicKey = createPublicKey({
      key: Buffer.from(publicKeySpki),
      format: 'der',
      type: 'spki',
    });
  }

  get connections(): number {
    return this.#connections;
  }

  get connected(): boolean {
    return this.#handlers !== undefined;
  }

  of<T extends DeviceMessage['type']>(type: T): Extract<DeviceMessage, { type: T }>[] {
    return this.received
      .map((r) => r.message)
      .filter((m): m is Extract<DeviceMessage, { type: T }> => m.type === type);
  }

  readonly factory: LinkFactory = {
    connect: async (radio: Radio, handlers: LinkHandlers) => {
      await Promise.resolve();
      if (!this.reachable) throw new Error('unreachable');
      this.#connections++;
      this.#handlers = handlers;
      let open = true;
      return {
        publish: async (topic: string, payload: Uint8Array) => {
          await new Promise((r) => setImmediate(r));
          if (!open || !this.reachable) throw new Error('connection closed');
          this.#ingest(topic, payload, radio);
        },
        close: async () => {
          open = false;
          if (this.#handlers === handlers) this.#handlers = undefined;
        },
      };
    },
  };

  /** Drops the live connection as a network failure would. */
  dropConnection(): void {
    const handlers = this.#handlers;
    this.#handlers = undefined;
    handlers?.down();
  }

  command(
    name: CommandRequest['name'],
    args?: CommandRequest['args'],
    options: { id?: string; expiresInMs?: number; now?: number } = {},
  ): CommandRequest {
    const now = options.now ?? Date.now();
    const request: CommandRequest = {
      schema_version: 1,
      device_id: this.deviceId,
      type: 'command',
      ts: new Date(now).toISOString(),
      command_id: options.id ?? randomUUID(),
      name,
      expires_at: new Date(now + (options.expiresInMs ?? 300_000)).toISOString(),
      ...(args ? { args } : {}),
    };
    this.deliver(request);
    return request;
  }

  sendDesired(document: ShadowDesired): void {
    this.#handlers?.desired(document);
  }

  deliver(request: CommandRequest): void {
    this.#handlers?.command(request);
  }

  #ingest(topic: string, payload: Uint8Array, radio: Radio): void {
    const parts = splitFrame(payload);
    let message: DeviceMessage | undefined;
    try {
      message = parts
        ? (JSON.parse(
            new TextDecoder('utf-8', { fatal: true }).decode(parts.body),
          ) as DeviceMessage)
        : undefined;
    } catch {
      message = undefined;
    }
    if (!parts || !message || typeof message !== 'object') return this.#reject('json');
    if (!verifyBody(parts.body, parts.signature, this.#publicKey)) {
      return this.#reject('signature', message.counter);
    }
    if (
      !isDeviceMessageType(String(message.type)) ||
      !validateDeviceMessage(message.type, message).ok
    ) {
      return this.#reject('schema', message.counter);
    }
    if (this.#counters.has(message.counter)) return this.#reject('replay', message.counter);
    this.#counters.add(message.counter);
    this.received.push({ message, topic, radio, at: performance.now() });
  }

  #reject(reason: RejectReason, counter?: number): void {
    const feedback: ErrorFeedback = {
      schema_version: 1,
      device_id: this.deviceId,
      type: 'error',
      ts: new Date().toISOString(),
      reason,
      ...(typeof counter === 'number' ? { counter } : {}),
      detail: reason,
    };
    this.rejected.push(feedback);
    this.#handlers?.rejected(feedback);
  }
}
