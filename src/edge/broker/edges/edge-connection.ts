import type { X509Certificate } from 'node:crypto';
import { Duplex } from 'node:stream';

/**
 * A device connection held by an edge process, as the platform's MQTT server sees it: a Duplex of
 * the device's plaintext MQTT bytes. Writes and the end go to the edge; when the reader stops
 * reading (its buffer is full: the broker's in-flight window), the edge stops reading the device.
 */
export class EdgeConnection extends Duplex {
  #paused = false;

  constructor(
    readonly remoteAddress: string,
    /** The client certificate the edge's TLS handshake accepted. */
    readonly certificate: X509Certificate | undefined,
    private readonly link: {
      readonly write: (bytes: Buffer) => void;
      readonly end: () => void;
      readonly pause: () => void;
      readonly resume: () => void;
    },
  ) {
    super({ allowHalfOpen: false, readableHighWaterMark: 64 * 1024 });
  }

  /** Bytes the device sent. */
  received(bytes: Buffer): void {
    if (!this.push(bytes) && !this.#paused) {
      this.#paused = true;
      this.link.pause();
    }
  }

  /** The edge closed the device's socket. */
  endedByDevice(): void {
    this.push(null);
    this.destroy();
  }

  override _read(): void {
    if (this.#paused) {
      this.#paused = false;
      this.link.resume();
    }
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    done: (error?: Error | null) => void,
  ): void {
    this.link.write(chunk);
    done();
  }

  override _final(done: (error?: Error | null) => void): void {
    this.link.end();
    done();
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.link.end();
    done(error);
  }
}
