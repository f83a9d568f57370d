import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** One signature to check: the device's public key (DER SPKI, base64), the body, r||s. */
export interface VerifyRequest {
  readonly publicKeySpki: string;
  readonly body: Uint8Array;
  readonly signature: Uint8Array;
}

export interface SignatureVerifier {
  verify(request: VerifyRequest): Promise<boolean>;
  close(): Promise<void>;
}

const KEY_CACHE_LIMIT = 50_000;

/** Checks ECDSA P-256 signatures on the calling thread. */
export class InlineVerifier implements SignatureVerifier {
  readonly #keys = new Map<string, KeyObject>();

  verify(request: VerifyRequest): Promise<boolean> {
    try {
      return Promise.resolve(verifyWith(this.#keys, request));
    } catch {
      // A key or signature that cannot even be parsed is a failed verification, not a crash.
      return Promise.resolve(false);
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

function verifyWith(keys: Map<string, KeyObject>, request: VerifyRequest): boolean {
  let key = keys.get(request.publicKeySpki);
  if (!key) {
    if (keys.size >= KEY_CACHE_LIMIT) keys.clear();
    key = createPublicKey({
      key: Buffer.from(request.publicKeySpki, 'base64'),
      format: 'der',
      type: 'spki',
    });
    keys.set(request.publicKeySpki, key);
  }
  return verify('sha256', request.body, { key, dsaEncoding: 'ieee-p1363' }, request.signature);
}

// The worker is plain JavaScript with no imports from the project, so the same string runs under
// tsx in development and from dist/ in production.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createPublicKey, verify } = require('node:crypto');
const keys = new Map();
parentPort.on('message', ({ id, keys: spkis, bytes, offsets }) => {
  const data = new Uint8Array(bytes);
  const results = new Array(spkis.length);
  for (let i = 0; i < spkis.length; i++) {
    try {
      let key = keys.get(spkis[i]);
      if (!key) {
        if (keys.size >= ${KEY_CACHE_LIMIT}) keys.clear();
        key = createPublicKey({ key: Buffer.from(spkis[i], 'base64'), format: 'der', type: 'spki' });
        keys.set(spkis[i], key);
      }
      const start = offsets[2 * i];
      const cut = offsets[2 * i + 1];
      const end = offsets[2 * i + 2];
      results[i] = verify('sha256', data.subarray(start, cut), { key, dsaEncoding: 'ieee-p1363' }, data.subarray(cut, end));
    } catch {
      results[i] = false;
    }
  }
  parentPort.postMessage({ id, results });
});
`;

interface PendingBatch {
  readonly lane: Lane;
  readonly resolve: ((ok: boolean) => void)[];
}

interface Lane {
  readonly worker: Worker;
  /** Batches sent and not yet answered. */
  outstanding: number;
}

/**
 * Batches a worker may hold at once: the second is there to verify while the answer to the first
 * crosses back to a busy event loop, so the worker does not wait on it.
 */
const OUTSTANDING_PER_WORKER = 2;

/**
 * Spreads verification over worker threads: ECDSA verification is the ingest's main CPU cost
 * (about 15k/s per core), and the event loop has TLS and MQTT to run. A worker gets work only
 * while it holds fewer than two batches; requests arriving meanwhile wait and go as one batch.
 * Under load batches grow by themselves, so the cost of crossing threads (two messages per batch)
 * is paid per hundred signatures rather than per handful; when idle, a request goes at once.
 */
export class WorkerVerifierPool implements SignatureVerifier {
  readonly #lanes: Lane[];
  readonly #inFlight = new Map<number, PendingBatch>();
  #queue: { request: VerifyRequest; resolve: (ok: boolean) => void }[] = [];
  #scheduled = false;
  #nextId = 1;

  constructor(size = Math.max(1, availableParallelism())) {
    this.#lanes = Array.from({ length: size }, () => {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      worker.on('message', (m: { id: number; results: boolean[] }) => this.#settle(m));
      return { worker, outstanding: 0 };
    });
  }

  get size(): number {
    return this.#lanes.length;
  }

  verify(request: VerifyRequest): Promise<boolean> {
    return new Promise((resolve) => {
      this.#queue.push({ request, resolve });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#dispatch());
      }
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.#lanes.map((lane) => lane.worker.terminate()));
    for (const batch of this.#inFlight.values()) for (const r of batch.resolve) r(false);
    this.#inFlight.clear();
  }

  #dispatch(): void {
    this.#scheduled = false;
    if (this.#queue.length === 0) return;
    const free = this.#lanes.filter((lane) => lane.outstanding < OUTSTANDING_PER_WORKER);
    if (free.length === 0) return; // #settle dispatches when a worker answers
    // The least loaded first; the queue is split evenly among the free workers.
    free.sort((a, b) => a.outstanding - b.outstanding);
    const queue = this.#queue;
    this.#queue = [];
    const share = Math.ceil(queue.length / free.length);
    for (let start = 0, i = 0; start < queue.length; start += share, i++) {
      const lane = free[i]!;
      const slice = queue.slice(start, start + share);
      const id = this.#nextId++;
      this.#inFlight.set(id, { lane, resolve: slice.map((q) => q.resolve) });
      lane.outstanding++;
      const message = pack(
        id,
        slice.map((q) => q.request),
      );
      lane.worker.postMessage(message, [message.bytes]);
    }
  }

  #settle({ id, results }: { id: number; results: boolean[] }): void {
    const batch = this.#inFlight.get(id);
    if (!batch) return;
    this.#inFlight.delete(id);
    batch.lane.outstanding--;
    batch.resolve.forEach((resolve, i) => resolve(results[i] === true));
    this.#dispatch();
  }
}

/**
 * One batch as one buffer, transferred to the worker rather than copied. Posting the requests
 * themselves would structured-clone each body's whole backing ArrayBuffer: a body is a view into
 * the socket's read chunk, often tens of kilobytes for a few hundred bytes of message.
 */
function pack(
  id: number,
  requests: readonly VerifyRequest[],
): { id: number; keys: string[]; bytes: ArrayBuffer; offsets: number[] } {
  let size = 0;
  for (const r of requests) size += r.body.byteLength + r.signature.byteLength;
  const data = new Uint8Array(size);
  const offsets: number[] = [];
  let at = 0;
  for (const r of requests) {
    offsets.push(at);
    data.set(r.body, at);
    at += r.body.byteLength;
    offsets.push(at);
    data.set(r.signature, at);
    at += r.signature.byteLength;
  }
  offsets.push(at);
  // offsets: [body0, sig0, body1, sig1, …, end]; request i spans offsets[2i]..offsets[2i+2].
  return { id, keys: requests.map((r) => r.publicKeySpki), bytes: data.buffer, offsets };
}
