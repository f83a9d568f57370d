import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { signBody, verifyBody } from '../src/contract/wire.js';
import { runOtaSim } from '../src/cli/ota/sim/ota-sim.js';
import { fmt, opsPerSecond } from './measure.js';

// A whole rollout across N simulated carts (the platform's rollout engine and the cart model's
// update logic, in one process), next to what one core can do of the part that cannot be
// skipped: one ECDSA P-256 verification and one SHA-256 of a 4 KiB image per cart.

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '1' },
  },
});
const devices = Number(values.devices);
const seed = Number(values.seed);

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const manifest = Buffer.from(JSON.stringify({ version: '2.5.0', pad: 'x'.repeat(300) }));
const signature = signBody(manifest, privateKey);
const image = randomBytes(4096);
const limit = opsPerSecond(() => {
  verifyBody(manifest, signature, publicKey);
  createHash('sha256').update(image).digest();
});
console.log(`one core: ${fmt(limit)} acceptance checks/s (ECDSA P-256 verify + SHA-256 of 4 KiB)`);

const started = performance.now();
let lastStage = started;
const result = await runOtaSim({
  devices,
  newErrorRate: 0.05,
  oldErrorRate: 0.05,
  rollbackRate: 0.002,
  seed,
  onStage: (s) => {
    const now = performance.now();
    console.log(
      `  stage ${s.name.padEnd(7)} ${s.outcome.padEnd(9)} ${(s.simulatedMs / 3_600_000).toFixed(1)} h simulated in ${((now - lastStage) / 1000).toFixed(2)} s: ${fmt(s.updated)}/${fmt(s.cohort)} updated, ${s.rolledBack} rolled back`,
    );
    lastStage = now;
  },
});
const wallS = (performance.now() - started) / 1000;
const perSecond = (result.updated + result.rolledBack) / wallS;
console.log(
  `${fmt(devices)} carts: ${(result.simulatedMs / 3_600_000).toFixed(0)} simulated hours in ${wallS.toFixed(2)} s of wall time; ${fmt(perSecond)} cart updates/s = ${((100 * perSecond) / limit).toFixed(1)} % of the one-core acceptance-check limit`,
);
console.log(
  JSON.stringify({
    bench: 'ota-sim',
    devices,
    halted: result.halted,
    updated: result.updated,
    rolled_back: result.rolledBack,
    simulated_hours: Math.round(result.simulatedMs / 3_600_000),
    wall_seconds: Number(wallS.toFixed(2)),
    cart_updates_per_s: Math.round(perSecond),
    acceptance_checks_per_s_one_core: Math.round(limit),
  }),
);
