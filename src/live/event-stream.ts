import type { ServerResponse } from 'node:http';

export interface EventStreamOptions {
  /** A comment line this often keeps proxies from closing a quiet stream. */
  readonly heartbeatMs: number;
  /**
   * Bytes written but not yet taken by the socket past which the client is dropped: a client that
   * cannot keep up is cut off (its EventSource reconnects and the page reads afresh) instead of
   * this process holding an ever-growing backlog for it.
   */
  readonly maxBufferedBytes: number;
  /** What EventSource waits before reconnecting. */
  readonly retryMs?: number;
}

export interface StreamEvent {
  /** Omitted for an event that is not a position in the bus (a snapshot on connect). */
  readonly id?: string;
  readonly event: string;
  readonly data: unknown;
}

/** One server-sent event stream over a raw HTTP response (text/event-stream). */
export class EventStream {
  readonly #res: ServerResponse;
  readonly #max: number;
  readonly #heartbeat: NodeJS.Timeout;
  readonly #closers: (() => void)[] = [];
  #closed = false;

  constructor(res: ServerResponse, options: EventStreamOptions) {
    this.#res = res;
    this.#max = options.maxBufferedBytes;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx and similar proxies buffer responses unless told not to.
      'x-accel-buffering': 'no',
    });
    res.write(`retry: ${options.retryMs ?? 3000}\n: connected\n\n`);
    this.#heartbeat = setInterval(() => this.#write(': heartbeat\n\n'), options.heartbeatMs);
    this.#heartbeat.unref();
    res.on('close', () => this.close());
  }

  get closed(): boolean {
    return this.#closed;
  }

  send(event: StreamEvent): void {
    const id = event.id ? `id: ${event.id}\n` : '';
    // JSON.stringify never emits a raw newline, so the data is one line.
    this.#write(`${id}event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`);
  }

  onClose(listener: () => void): void {
    if (this.#closed) listener();
    else this.#closers.push(listener);
  }

  /** Ends the stream (the server is stopping, or the client went). */
  close(): void {
    this.#shut(() => {
      if (!this.#res.writableEnded) this.#res.end();
    });
  }

  #write(text: string): void {
    if (this.#closed) return;
    if (this.#res.writableLength > this.#max) this.#shut(() => this.#res.destroy());
    else this.#res.write(text);
  }

  #shut(finish: () => void): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#heartbeat);
    finish();
    for (const listener of this.#closers.splice(0)) listener();
  }
}
