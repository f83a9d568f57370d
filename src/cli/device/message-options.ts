import { readFile } from 'node:fs/promises';
import { encodeSigned, topicFor, type DeviceMessageType } from '../../contract/index.js';
import type { DeviceCredentials } from '../../device/link/device-link.js';
import { requireString, stringOption, UsageError, type OptionValues } from '../command.js';
import { messageType, nextMessage } from './device-message.js';
import { readSendState, writeSendState } from './send-state.js';

export const MESSAGE_OPTIONS = {
  device: { type: 'string' },
  type: { type: 'string' },
  body: { type: 'string' },
} as const;

export const MESSAGE_DETAILS = [
  "--device DIR   what 'fleetplane provision --out DIR' wrote: certificate, key, chain, trust",
  '--type T       the message type (scan, session-start, session-end, health, fault, boot, …)',
  '--body B       the message as JSON, or @FILE; fields of the envelope it leaves out',
  '               (schema_version, device_id, type, counter, ts) are filled in. Without it,',
  "               the contract's example of the type, with this device's id, counter, clock",
  '               and open session (session-start opens one, session-end closes it).',
  'The next counter and the open session are kept in DIR/send-state.json, written before the',
  'message leaves, so every message has a counter the device never used before.',
];

/** A signed message ready to publish, its counter already persisted. */
export interface SignedMessage {
  readonly type: DeviceMessageType;
  readonly topic: string;
  readonly message: Record<string, unknown>;
  readonly payload: Uint8Array;
}

export async function signNext(
  values: OptionValues,
  dir: string,
  device: DeviceCredentials,
  now: Date,
): Promise<SignedMessage> {
  const type = messageType(device.deviceClass, requireString(values, 'type'));
  const body = await bodyOption(values);
  const { message, state } = nextMessage({
    deviceId: device.deviceId,
    type,
    state: await readSendState(dir),
    now,
    ...(body ? { body } : {}),
  });
  await writeSendState(dir, state);
  const payload = shellSafe(() =>
    encodeSigned(message, (bytes) => device.secureElement.sign(bytes)),
  );
  return { type, topic: topicFor(device.deviceClass, device.deviceId, type), message, payload };
}

async function bodyOption(values: OptionValues): Promise<Record<string, unknown> | undefined> {
  const text = stringOption(values, 'body');
  if (text === undefined) return undefined;
  let json = text;
  if (text.startsWith('@')) {
    try {
      json = await readFile(text.slice(1), 'utf8');
    } catch (error) {
      throw new UsageError(
        `--body ${text}: cannot read ${text.slice(1)} (${(error as NodeJS.ErrnoException).code ?? error})`,
      );
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new UsageError(`--body is not JSON: ${error instanceof Error ? error.message : error}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError('--body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/**
 * ECDSA signatures are random, so signing again gives another valid one. Debian's mosquitto_rr
 * (2.0.11) publishes an empty payload for -f and -s, so the one-connection recipe in
 * docs/protocol.md passes the payload as -m "$(cat FILE)": that needs bytes a shell keeps, no
 * NUL anywhere and no newline at the end. About four signatures in five qualify.
 */
function shellSafe(sign: () => Uint8Array): Uint8Array {
  let payload = sign();
  for (let attempt = 0; attempt < 64 && !keepsInShell(payload); attempt++) payload = sign();
  return payload;
}

function keepsInShell(payload: Uint8Array): boolean {
  return !payload.includes(0) && payload.at(-1) !== 0x0a;
}
