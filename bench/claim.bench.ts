// Claim provisioning (decision 044) end to end on this machine: claim clients, each a fresh key
// and a claim connection over mutual TLS to the embedded broker of a platform in this process,
// a CSR sent, a certificate issued through provisionDevice and returned. Beside it, the crypto
// limit measured in the same run on all cores: a claim costs a key generation and about four
// ECDSA P-256 signatures (the client's and server's handshake signatures, the CSR, the
// certificate), so no claim rate can exceed 1 / (1/keygen + 4/sign).
// BENCH_CLAIMS=100 BENCH_CONCURRENCY=4 npm run bench:claim for a shorter run.
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { p256AllCores } from './p256-ceiling.js';
import { openEntities } from '../src/cli/platform/entities.js';
import { claimCertificate } from '../src/device/claim/claim-client.js';
import { addStore, createClaim, initCa, openIdentity } from '../src/edge/identity/index.js';
import { defaultConfig } from '../src/platform/platform-config.js';
import { startPlatform } from '../src/platform/platform.js';
import { silentLogger } from '../src/shared/observability/logger.js';
import { fmt } from './measure.js';

const claims = Number(process.env['BENCH_CLAIMS'] ?? 200);
const concurrency = Number(process.env['BENCH_CONCURRENCY'] ?? 8);
const cores = availableParallelism();
const step = (label: string) => process.stderr.write(`… ${label}\n`);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

console.log(
  `fleetplane claim provisioning benchmark — Node ${process.version}, ${cores} cores, ${fmt(claims)} claims, ${concurrency} in flight`,
);
const dir = await mkdtemp(join(tmpdir(), 'fleetplane-bench-claim-'));
try {
  step(`ECDSA P-256 sign and key generation rates on ${cores} cores`);
  const signPerS = await p256AllCores('sign');
  const keygenPerS = await p256AllCores('keygen');
  const cryptoLimit = 1 / (1 / keygenPerS + 4 / signPerS);
  console.log(
    `physical limit: ${fmt(signPerS)} signs/s, ${fmt(keygenPerS)} key generations/s → ${fmt(cryptoLimit)} claims/s of crypto`,
  );

  const data = join(dir, 'data');
  const ctx = openIdentity(data);
  await initCa(ctx.layout, new Date());
  await addStore(ctx.stores, { id: 'bench-1', name: 'Bench 1' }, new Date());
  // One claim certificate per 40 serials: the per-claim rate limit (a burst of 50, then 10 a
  // second) is for a copied claim key trying serials, not what this measures.
  const PER_CLAIM = 40;
  const claimCredentials = await Promise.all(
    Array.from({ length: Math.ceil(claims / PER_CLAIM) }, async () => {
      const created = await createClaim(ctx, {
        template: { name: 'bench', class: 'coldchain', store: 'bench-1', policy: 'claim-once' },
        expiresAt: new Date(Date.now() + 86_400_000),
      });
      return {
        claimId: created.record.id,
        keyPem: created.certificate.keyPem,
        certChainPem: created.certificate.certPem + created.certificate.chainPem,
        trustPem: created.trustPem,
      };
    }),
  );
  step('starting the platform');
  const platform = await startPlatform(
    {
      ...defaultConfig(data),
      mqtt: { host: '127.0.0.1', port: 0, hostnames: ['localhost', '127.0.0.1'] },
      api: { host: '127.0.0.1', port: 0 },
      deviceApi: { port: 0 },
    },
    { openEntities, log: silentLogger() },
  );
  try {
    step(`claiming ${claims} serials`);
    const latencies: number[] = [];
    let next = 0;
    const t0 = performance.now();
    const lane = async () => {
      while (next < claims) {
        const index = next++;
        const serial = `CLAIM-${String(index + 1).padStart(6, '0')}`;
        const start = performance.now();
        await claimCertificate({
          url: platform.mqttUrl,
          claim: claimCredentials[Math.floor(index / PER_CLAIM)]!,
          serial,
          out: join(dir, 'devices', serial),
        });
        latencies.push(performance.now() - start);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
    const wallS = (performance.now() - t0) / 1000;
    const perS = claims / wallS;
    latencies.sort((a, b) => a - b);
    console.log(
      `${fmt(claims)} claims in ${wallS.toFixed(2)} s: ${perS.toFixed(1)} claims/s = ${((100 * perS) / cryptoLimit).toFixed(1)} % of the crypto limit; round trip p50 ${fmt(percentile(latencies, 50))} ms, p99 ${fmt(percentile(latencies, 99))} ms`,
    );
    console.log(
      JSON.stringify({
        bench: 'claim-provisioning',
        claims,
        concurrency,
        cores,
        wall_seconds: Number(wallS.toFixed(2)),
        claims_per_s: Number(perS.toFixed(1)),
        round_trip_p50_ms: Math.round(percentile(latencies, 50)),
        round_trip_p99_ms: Math.round(percentile(latencies, 99)),
        sign_per_s_all_cores: Math.round(signPerS),
        keygen_per_s_all_cores: Math.round(keygenPerS),
        crypto_limit_claims_per_s: Math.round(cryptoLimit),
      }),
    );
  } finally {
    await platform.stop();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
