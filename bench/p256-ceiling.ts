import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

// One worker per core, each timing the operation alone for a second and a half.
const LIMIT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { generateKeyPairSync, sign } = require('node:crypto');
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const data = Buffer.alloc(400, 1);
const op = workerData === 'sign'
  ? () => sign('sha256', data, privateKey)
  : () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const end = Date.now() + 1500; let n = 0; const t0 = process.hrtime.bigint();
while (Date.now() < end) { for (let i = 0; i < 50; i++) op(); n += 50; }
parentPort.postMessage(n / (Number(process.hrtime.bigint() - t0) / 1e9));
`;

/** P-256 signatures or key pairs a second on all cores: the crypto limit provisioning is held to. */
export async function p256AllCores(op: 'sign' | 'keygen'): Promise<number> {
  const rates = await Promise.all(
    Array.from(
      { length: availableParallelism() },
      () =>
        new Promise<number>((resolve, reject) => {
          const worker = new Worker(LIMIT_WORKER, { eval: true, workerData: op });
          worker.once('message', (rate: number) => {
            resolve(rate);
            void worker.terminate();
          });
          worker.once('error', reject);
        }),
    ),
  );
  return rates.reduce((a, b) => a + b, 0);
}
