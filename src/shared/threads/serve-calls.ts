import { parentPort } from 'node:worker_threads';
import { isFailure } from '../failure.js';
import type { ThreadError } from './thread-client.js';

interface Call {
  readonly id: number;
  readonly method: string;
  readonly args: unknown[];
}

type Method = (...args: unknown[]) => Promise<unknown>;

/**
 * The worker side of ThreadClient: opens the target, says ready (id 0), then answers each call
 * with the target's method of that name, or with one of `extra` (methods that exist only to
 * cross the thread boundary, such as a packed append).
 */
export async function serveCalls<T extends object>(
  open: () => T | Promise<T>,
  extra: Record<string, (target: T, ...args: unknown[]) => Promise<unknown>> = {},
): Promise<void> {
  const port = parentPort!;
  let target: T;
  try {
    target = await open();
  } catch (error) {
    port.postMessage({ id: 0, error: toThreadError(error) });
    return;
  }
  port.on('message', (call: Call) => {
    const special = extra[call.method];
    let result: Promise<unknown>;
    try {
      result = special
        ? special(target, ...call.args)
        : (target[call.method as keyof T] as Method).apply(target, call.args);
    } catch (error) {
      result = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    result.then(
      (value) => port.postMessage({ id: call.id, result: value }),
      (error: unknown) => port.postMessage({ id: call.id, error: toThreadError(error) }),
    );
  });
  port.postMessage({ id: 0, result: 'ready' });
}

function toThreadError(error: unknown): ThreadError {
  if (isFailure(error)) return { message: error.message, code: error.code };
  return { message: error instanceof Error ? error.message : String(error) };
}
