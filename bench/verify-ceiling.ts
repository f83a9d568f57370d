import { generateKeyPairSync } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { signBody } from '../src/contract/wire.js';

/**
 * ECDSA P-256 verifications per second with every core verifying at once: the ceiling of signed
 * ingest on this machine, measured in the same run as the figure compared with it.
 */
export async function measureVerifyCeiling(
  ms: number,
  cores = availableParallelism(),
): Promise<number> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const body = Buffer.from(
    JSON.stringify({ schema_version: 1, type: 'health', counter: 1, pad: 'x'.repeat(300) }),
  );
  const signature = signBody(body, privateKey);
  const spkiDer = publicKey.export({ format: 'der', type: 'spki' });
  const perWorker = await Promise.all(
    Array.from(
      { length: cores },
      () =>
        new Promise<number>((resolve, reject) => {
          const worker = new Worker(new URL('./verify-worker.mjs', import.meta.url), {
            workerData: { spkiDer, body, signature: Buffer.from(signature), ms },
          });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  return perWorker.reduce((a, b) => a + b, 0);
}
