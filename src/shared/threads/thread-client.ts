import { Worker } from 'node:worker_threads';
import { workerScript } from './worker-script.js';

/** What a worker answers per call; id 0 is its "ready" (or why it could not start). */
export interface ThreadReply {
  readonly id: number;
  readonly result?: unknown;
  readonly error?: ThreadError;
}

export interface ThreadError {
  readonly message: string;
  readonly code?: string;
}

/**
 * The calling side of a store that lives in a worker thread: one message per call
 * (`{ id, method, args }`), one reply per call. Calls pending when the thread stops are refused,
 * and so is every call after: a message posted to a stopped thread would wait forever.
 */
export class ThreadClient {
  readonly #pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  #nextId = 1;
  #closed = false;

  private constructor(
    private readonly worker: Worker,
    private readonly name: string,
    private readonly toError: (error: ThreadError) => Error,
  ) {
    worker.on('message', (reply: ThreadReply) => this.#settle(reply));
    worker.on('error', (error) => this.#failAll(error));
    worker.on('exit', () => {
      this.#closed = true;
      this.#failAll(new Error(`the ${name} thread stopped`));
    });
  }

  /** Starts the worker module `entry` and resolves once it says it is ready. */
  static async start(
    entry: URL,
    workerData: unknown,
    name: string,
    toError: (error: ThreadError) => Error = (error) => new Error(error.message),
  ): Promise<ThreadClient> {
    const worker = new Worker(workerScript(entry), { eval: true, workerData });
    const client = new ThreadClient(worker, name, toError);
    await new Promise<unknown>((resolve, reject) =>
      client.#pending.set(0, { resolve, reject }),
    ).catch(async (error: unknown) => {
      await worker.terminate();
      throw error;
    });
    return client;
  }

  call<T>(method: string, args: readonly unknown[], transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.#closed) return Promise.reject(new Error(`the ${this.name} is closed`));
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, method, args }, transfer);
    });
  }

  /** Asks the store to close, then stops the thread, even when the close call fails. */
  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.call('close', []);
    } finally {
      this.#closed = true;
      await this.worker.terminate();
    }
  }

  #settle(reply: ThreadReply): void {
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    if (reply.error) pending.reject(this.toError(reply.error));
    else pending.resolve(reply.result);
  }

  #failAll(error: Error): void {
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}
