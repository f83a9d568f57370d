import { splitFrame, type DeviceMessage } from '../../contract/index.js';
import type { LinkConnection } from './link-factory.js';

/**
 * Real ms a connection attempt may take before the firmware gives up and tries again later: a
 * handshake or subscription the broker never answers must not hold the uplink for good.
 */
export const CONNECT_DEADLINE_MS = 20_000;

/** The connection, or a rejection after `ms`; a connection that comes up late is closed. */
export function withDeadline(
  pending: Promise<LinkConnection>,
  ms = CONNECT_DEADLINE_MS,
): Promise<LinkConnection> {
  return new Promise((resolve, reject) => {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      reject(new Error(`no connection after ${ms} ms`));
    }, ms);
    pending.then(
      (connection) => {
        clearTimeout(timer);
        if (late) void connection.close().catch(() => undefined);
        else resolve(connection);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** A promise the drain races against, rejected when the connection drops. */
export function lostSignal(): { promise: Promise<never>; reject: (error: Error) => void } {
  let reject!: (error: Error) => void;
  const promise = new Promise<never>((_, r) => (reject = r));
  // Nobody may be racing it when it fires.
  promise.catch(() => undefined);
  return { promise, reject };
}

/** The message a queued signed payload carries (the body without its signature). */
export function queuedMessage(payload: Uint8Array): DeviceMessage | undefined {
  const parts = splitFrame(payload);
  if (!parts) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(parts.body)) as DeviceMessage;
  } catch {
    return undefined;
  }
}
