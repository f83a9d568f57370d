// Provisioning a factory's batch on this machine: `provision --batch` in process (a P-256 key and
// CSR per device, the certificate issued and registered, five files per device, the manifest),
// next to the physical limits measured in the same run on all cores: ECDSA P-256 signatures and
// key generations per second (a device needs one key, a CSR signature and a certificate
// signature), and what the registry's and the device directory's synced writes alone allow.
// BENCH_DEVICES=500 npm run bench:provision for a shorter run; BENCH_DIR=/dev/shm to take the
// disk's syncs out of the figure (a RAM file system: what the CPU alone allows).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { p256AllCores } from './p256-ceiling.js';
import { DeviceDirectoryWriter } from '../src/cli/identity/batch/device-directory.js';
import { DEFAULT_CONCURRENCY, provisionBatch } from '../src/cli/identity/batch/run-batch.js';
import type { DeviceId, StoreId } from '../src/contract/ids.js';
import {
  addStore,
  initCa,
  openIdentity,
  type ProvisionResult,
} from '../src/edge/identity/index.js';
import { createJsonFileExclusive } from '../src/stores/data-dir/index.js';
import { fmt } from './measure.js';

const devices = Number(process.env['BENCH_DEVICES'] ?? 2000);
const concurrency = Number(process.env['BENCH_CONCURRENCY'] ?? DEFAULT_CONCURRENCY);
const cores = availableParallelism();
const base = process.env['BENCH_DIR'] ?? tmpdir();
const step = (label: string) => process.stderr.write(`… ${label}\n`);

/**
 * Synced file writes alone at the batch's concurrency, as devices/s: the registry record
 * (exclusive create) and, separately, the four certificate files of a new device directory as
 * the batch writes them (DeviceDirectoryWriter: created in place and flushed, chain and trust
 * linked, one directory sync).
 */
async function writesAlone(
  dir: string,
  count: number,
  what: 'registry' | 'files',
): Promise<number> {
  const payload = 'x'.repeat(700);
  const files = new DeviceDirectoryWriter();
  let next = 0;
  const t0 = performance.now();
  const lane = async () => {
    while (next < count) {
      const i = next++;
      if (what === 'registry') {
        await createJsonFileExclusive(join(dir, `d${i}.json`), { payload });
        continue;
      }
      await mkdir(join(dir, `d${i}`), { recursive: true });
      await files.write(join(dir, `d${i}`), syntheticResult(`d${i}`, payload), { fresh: true });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return count / ((performance.now() - t0) / 1000);
}

/** A provisioning result with payloads of a certificate's size, for the writes alone. */
function syntheticResult(serial: string, payload: string): ProvisionResult {
  const at = new Date();
  return {
    outcome: 'issued',
    certificatePem: payload,
    chainPem: payload,
    trustPem: payload,
    generation: 1,
    info: {
      deviceId: serial as DeviceId,
      storeId: 'bench-1' as StoreId,
      deviceClass: 'cart',
      certSerialHex: '01',
      fingerprint256: 'AB',
      notBefore: at,
      notAfter: at,
      publicKeySpki: Buffer.of(1),
    },
  };
}

console.log(
  `fleetplane provisioning benchmark — Node ${process.version}, ${cores} cores, ${fmt(devices)} devices, ${concurrency} in flight, in ${base}`,
);
const dir = await mkdtemp(join(base, 'fleetplane-bench-provision-'));
try {
  step(`ECDSA P-256 sign and key generation rates on ${cores} cores`);
  const signPerS = await p256AllCores('sign');
  const keygenPerS = await p256AllCores('keygen');
  // A device costs one key generation and two signatures (its CSR, its certificate).
  const cryptoLimit = 1 / (1 / keygenPerS + 2 / signPerS);
  console.log(
    `physical limit: ${fmt(signPerS)} signs/s, ${fmt(keygenPerS)} key generations/s → ${fmt(cryptoLimit)} devices/s of crypto`,
  );

  const data = join(dir, 'data');
  const ctx = openIdentity(data);
  await initCa(ctx.layout, new Date());
  await addStore(ctx.stores, { id: 'bench-1', name: 'Bench 1' }, new Date());

  step(`provisioning ${devices} devices`);
  let shown = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await provisionBatch(ctx, {
    serials: Array.from({ length: devices }, (_, i) => `BENCH-${String(i + 1).padStart(6, '0')}`),
    store: 'bench-1',
    deviceClass: 'cart',
    out: join(dir, 'out'),
    concurrency,
    onProgress: (done, total) => {
      if (done >= shown + total / 10 || done === total) {
        shown = done;
        const s = (performance.now() - t0) / 1000;
        step(`  ${done}/${total} devices, ${fmt(done / s)}/s`);
      }
    },
  });
  const wallS = (performance.now() - t0) / 1000;
  if (result.issued.length !== devices)
    throw new Error(`issued ${result.issued.length} of ${devices}`);
  const perS = devices / wallS;
  // User and system time of every thread of the process (libuv's pool signs and syncs).
  const cpu = process.cpuUsage(cpu0);
  const cpuMsPerDevice = (cpu.user + cpu.system) / 1000 / devices;

  step(
    `the same synced writes alone: ${devices} registry records, then ${devices} × 4 device files`,
  );
  const registryPerS = await writesAlone(join(dir, 'registry-alone'), devices, 'registry');
  const filesPerS = await writesAlone(join(dir, 'files-alone'), devices, 'files');

  console.log(
    `${fmt(devices)} devices in ${wallS.toFixed(2)} s: ${fmt(perS)} devices/s (target 500) = ${((100 * perS) / cryptoLimit).toFixed(1)} % of the crypto limit of ${fmt(cryptoLimit)}/s; ${cpuMsPerDevice.toFixed(2)} ms of CPU per device (${fmt((cores * 1000) / cpuMsPerDevice)} devices/s if it had all ${cores} cores); alone, the registry writes allow ${fmt(registryPerS)} devices/s and the device files ${fmt(filesPerS)}`,
  );
  console.log(
    JSON.stringify({
      bench: 'provision-batch',
      directory: base,
      devices,
      concurrency,
      cores,
      wall_seconds: Number(wallS.toFixed(2)),
      devices_per_s: Math.round(perS),
      target_devices_per_s: 500,
      sign_per_s_all_cores: Math.round(signPerS),
      keygen_per_s_all_cores: Math.round(keygenPerS),
      crypto_limit_devices_per_s: Math.round(cryptoLimit),
      registry_writes_alone_devices_per_s: Math.round(registryPerS),
      device_file_writes_alone_devices_per_s: Math.round(filesPerS),
      cpu_ms_per_device: Number(cpuMsPerDevice.toFixed(2)),
      devices_per_s_on_all_cores_at_that_cpu: Math.round((cores * 1000) / cpuMsPerDevice),
    }),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
