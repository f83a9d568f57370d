/**
 * The wire between the platform and its edge processes: one Unix socket pair per edge carrying
 * every device connection the edge holds, as frames of [kind u8][connection u32][length u32][bytes].
 * Binary and length-prefixed so device bytes cross without a copy into JSON and one write can
 * carry many frames.
 */
export const FrameKind = {
  /** edge → platform: a device completed the TLS handshake; the body is an OpenedConnection (JSON). */
  open: 1,
  /** both ways: bytes of the device's MQTT stream (plaintext). */
  data: 2,
  /** edge → platform: the device's socket closed. platform → edge: close it once written. */
  close: 3,
  /** platform → edge: stop / start reading from this device (the broker's in-flight window). */
  pause: 4,
  resume: 5,
  /** platform → edge: a new TLS context (JSON SecureContextOptions: a CRL or CA change). */
  context: 6,
  /** edge → platform: a TLS handshake was refused; the body is a RefusedHandshake (JSON). */
  refused: 7,
} as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

const HEADER = 9;

/** What the platform learns of a connection when the edge opens it. */
export interface OpenedConnection {
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** The client certificate's DER, base64 (TLS has chained it to the fleet's trust). */
  readonly certificate: string;
}

export interface RefusedHandshake {
  readonly remoteAddress: string;
  readonly error: string;
  readonly code?: string;
  /** The certificate the client presented, when Node still shows it after the refusal. */
  readonly certificate?: string;
}

export function frame(kind: FrameKind, connection: number, body: Uint8Array = EMPTY): Buffer {
  const out = Buffer.allocUnsafe(HEADER + body.length);
  out.writeUInt8(kind, 0);
  out.writeUInt32BE(connection, 1);
  out.writeUInt32BE(body.length, 5);
  out.set(body, HEADER);
  return out;
}

export function jsonFrame(kind: FrameKind, connection: number, value: unknown): Buffer {
  return frame(kind, connection, Buffer.from(JSON.stringify(value)));
}

const EMPTY = new Uint8Array(0);

/** Cuts a byte stream back into frames, however it was chunked. */
export class FrameReader {
  #pending: Buffer = Buffer.alloc(0);

  constructor(
    private readonly onFrame: (kind: FrameKind, connection: number, body: Buffer) => void,
  ) {}

  push(chunk: Buffer): void {
    const buffer = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    let offset = 0;
    while (buffer.length - offset >= HEADER) {
      const length = buffer.readUInt32BE(offset + 5);
      if (buffer.length - offset < HEADER + length) break;
      const kind = buffer.readUInt8(offset) as FrameKind;
      const connection = buffer.readUInt32BE(offset + 1);
      // A view, not a copy: the receiver copies what it keeps beyond this call.
      this.onFrame(kind, connection, buffer.subarray(offset + HEADER, offset + HEADER + length));
      offset += HEADER + length;
    }
    this.#pending =
      offset === buffer.length ? Buffer.alloc(0) : Buffer.from(buffer.subarray(offset));
  }
}
