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
parentPort.on('message', ({ id, items }) => {
  const results = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    try {
      let key = keys.get(item.publicKeySpki);
      if (!key) {
        if (keys.size >= ${KEY_CACHE_LIMIT}) keys.clear();
        key = createPublicKey({ key: Buffer.from(item.publicKeySpki, 'base64'), format: 'der', type: 'spki' });
        keys.set(item.publicKeySpki, key);
      }
      results[i] = verify('sha256', item.body, { key, dsaEncoding: 'ieee-p1363' }, item.signature);
    } catch {
      results[i] = false;
    }
  }
  parentPort.postMessage({ id, results });
});
`;

interface PendingBatch {
  readonly resolve: ((ok: boolean) => void)[];
}

/**
 * Spreads verification over worker threads: ECDSA verification is the ingest's main CPU cost
 * (about 15k/s per core), and the event loop has TLS and MQTT to run. Requests gathered during
 * one turn of the event loop travel to a worker as one message.
 */
export class WorkerVerifierPool implements SignatureVerifier {
  readonly #workers: Worker[];
  readonly #inFlight = new Map<number, PendingBatch>();
  #queue: { request: VerifyRequest; resolve: (ok: boolean) => void }[] = [];
  #scheduled = false;
  #nextId = 1;
  #nextWorker = 0;

  constructor(size = Math.max(1, availableParallelism())) {
    this.#workers = Array.from({ length: size }, () => {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      worker.on('message', (m: { id: number; results: boolean[] }) => this.#settle(m));
      return worker;
    });
  }

  get size(): number {
    return this.#workers.length;
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
    await Promise.all(this.#workers.map((w) => w.terminate()));
    for (const batch of this.#inFlight.values()) for (const r of batch.resolve) r(false);
    this.#inFlight.clear();
  }

  #dispatch(): void {
    this.#scheduled = false;
    const queue = this.#queue;
    this.#queue = [];
    const share = Math.ceil(queue.length / this.#workers.length);
    for (let start = 0; start < queue.length; start += share) {
      const slice = queue.slice(start, start + share);
      const id = this.#nextId++;
      this.#inFlight.set(id, { resolve: slice.map((q) => q.resolve) });
      const worker = this.#workers[this.#nextWorker++ % this.#workers.length]!;
      worker.postMessage({ id, items: slice.map((q) => q.request) });
    }
  }

  #settle({ id, results }: { id: number; results: boolean[] }): void {
    const batch = this.#inFlight.get(id);
    if (!batch) return;
    this.#inFlight.delete(id);
    batch.resolve.forEach((resolve, i) => resolve(results[i] === true));
  }
}
