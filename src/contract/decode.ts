import { isDeviceMessageType, type DeviceMessageType } from './catalog.js';
import { MAX_DETAIL_LENGTH, MAX_PAYLOAD_BYTES, SCHEMA_VERSION } from './limits.js';
import type { DeviceMessage } from './messages/index.js';
import type { RejectReason } from './reasons.js';
import { validateDeviceMessage } from './validate.js';
import { splitFrame } from './wire.js';

export type Decoded =
  | {
      ok: true;
      message: DeviceMessage;
      body: Uint8Array;
      /** The body as text, exactly as signed (valid UTF-8 is checked while parsing). */
      bodyText: string;
      signature: Uint8Array;
    }
  | {
      ok: false;
      reason: RejectReason;
      detail: string;
      /** What could be read of the rejected message, so the device can tell which one it was. */
      deviceId?: string;
      /** Set only when it is a known message type. */
      type?: DeviceMessageType;
      counter?: number;
    };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * The checks that need no key, in the order ingest runs them: size, framing, JSON, version,
 * type, schema. Signature verification follows, with the key registered for the device.
 */
export function decodeDeviceMessage(payload: Uint8Array): Decoded {
  if (payload.length > MAX_PAYLOAD_BYTES) {
    return reject('size', `payload is ${payload.length} bytes; the limit is ${MAX_PAYLOAD_BYTES}`);
  }
  const parts = splitFrame(payload);
  const bodyText = parts ? decodeText(parts.body) : undefined;
  const parsed = bodyText === undefined ? undefined : parseObject(bodyText);
  if (!parts || bodyText === undefined || parsed === undefined) {
    // A bare JSON document is the commonest firmware mistake: say so rather than "bad JSON".
    const text = decodeText(payload);
    const whole = text === undefined ? undefined : parseObject(text);
    return whole !== undefined
      ? reject('unsigned', 'payload is JSON with no 64-byte signature appended', whole)
      : reject('json', 'body is not a UTF-8 JSON object (after removing the 64-byte signature)');
  }
  if (parsed['schema_version'] !== SCHEMA_VERSION) {
    return reject(
      'version',
      // JSON.stringify, not String(): a parsed object such as {"toString":false} makes String() throw.
      `schema_version ${JSON.stringify(parsed['schema_version'])} is not supported (this cloud speaks ${SCHEMA_VERSION})`.slice(
        0,
        MAX_DETAIL_LENGTH,
      ),
      parsed,
    );
  }
  const type = parsed['type'];
  if (!isDeviceMessageType(type)) {
    return reject(
      'type',
      `unknown message type ${JSON.stringify(type)}`.slice(0, MAX_DETAIL_LENGTH),
      parsed,
    );
  }
  const validation = validateDeviceMessage(type, parsed);
  if (!validation.ok) return reject('schema', `${type}: ${validation.detail}`, parsed);
  return {
    ok: true,
    message: validation.value,
    body: parts.body,
    bodyText,
    signature: parts.signature,
  };
}

function decodeText(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function reject(reason: RejectReason, detail: string, partial?: Record<string, unknown>): Decoded {
  const deviceId = partial?.['device_id'];
  const type = partial?.['type'];
  const counter = partial?.['counter'];
  return {
    ok: false,
    reason,
    detail: detail.slice(0, MAX_DETAIL_LENGTH),
    ...(typeof deviceId === 'string' && deviceId.length <= 64 ? { deviceId } : {}),
    ...(typeof type === 'string' && isDeviceMessageType(type) ? { type } : {}),
    ...(Number.isSafeInteger(counter) && (counter as number) >= 0
      ? { counter: counter as number }
      : {}),
  };
}
