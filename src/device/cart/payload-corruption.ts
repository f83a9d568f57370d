import type { DeviceMessage } from '../../contract/index.js';
import type { Random } from '../random.js';

/**
 * The corrupt-payloads fault: one bit flipped after signing, at an injected rate, so the cloud
 * must notice. The choice is made once per message and kept for every copy of it, across
 * reconnects and reboots: a copy sent intact may already be stored when a later one goes out, and
 * a corrupted copy may already be refused, so copies that differed would leave the cloud holding
 * a message the cart counts as refused (or the reverse). The counter's digits are never flipped:
 * a refusal names the counter it read, and a flipped digit would name another of the cart's
 * messages.
 */
export class PayloadCorruption {
  #rate = 0;
  /** What goes on the wire for each message sent and not yet acknowledged, by counter. */
  readonly #wire = new Map<number, Uint8Array>();

  constructor(
    private readonly random: Random,
    /** Told once per message chosen: no copy of it will ever be accepted. */
    private readonly onCorrupted: (message: DeviceMessage) => void,
  ) {}

  setRate(rate: number): void {
    this.#rate = Math.min(1, Math.max(0, rate));
  }

  /** The bytes to send for this message: the same on every call until it is acknowledged. */
  wire(message: DeviceMessage, payload: Uint8Array): Uint8Array {
    const known = this.#wire.get(message.counter);
    if (known) return known;
    const bytes = this.#rate > 0 && this.random() < this.#rate ? this.#flip(payload) : payload;
    this.#wire.set(message.counter, bytes);
    if (bytes !== payload) this.onCorrupted(message);
    return bytes;
  }

  /** The message was acknowledged or is gone for good: its choice is no longer needed. */
  forget(counter: number): void {
    this.#wire.delete(counter);
  }

  #flip(payload: Uint8Array): Uint8Array {
    const copy = new Uint8Array(payload);
    const bodyEnd = Math.max(2, copy.length - 64);
    const [from, to] = counterDigits(copy.subarray(0, bodyEnd));
    // Inside the JSON body, away from the first byte so it stays recognisably a message.
    const choices = bodyEnd - 1 - (to - from);
    let at = 1 + Math.floor(this.random() * Math.max(1, choices));
    if (at >= from) at += to - from;
    copy[at] = copy[at]! ^ 0x01;
    return copy;
  }
}

const COUNTER_KEY = new TextEncoder().encode('"counter":');

/** Where the counter's value sits in a JSON body, as [start, end); an empty range if absent. */
export function counterDigits(body: Uint8Array): [number, number] {
  const start = indexOf(body, COUNTER_KEY);
  if (start < 0) return [body.length, body.length];
  const from = start + COUNTER_KEY.length;
  let to = from;
  while (to < body.length && body[to]! >= 0x30 && body[to]! <= 0x39) to++;
  return [from, to];
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(needle);
}
