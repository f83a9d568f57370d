// One core's worth of ECDSA P-256 verification, for the all-cores ceiling in contract.bench.ts.
// Plain JavaScript so a worker thread needs no TypeScript loader.
import { createPublicKey, verify } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';

const { spkiDer, body, signature, ms } = workerData;
const key = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
const start = performance.now();
let done = 0;
while (performance.now() - start < ms) {
  for (let i = 0; i < 200; i++) {
    if (!verify('sha256', body, { key, dsaEncoding: 'ieee-p1363' }, signature))
      throw new Error('bad signature');
  }
  done += 200;
}
parentPort.postMessage(done / ((performance.now() - start) / 1000));
