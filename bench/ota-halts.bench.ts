import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';

// Trustworthy halts (decision 037): `ota sim` over many seeds, clean (new rate = old) and with
// the new version erring `ratio` × as often, through the platform's rollout engine with the
// cart model's update logic. Reports the share of clean rollouts that halted (false halts), the
// share of regressed ones halted by the end of the 10 % stage, and when they halted.

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '100' },
    // Fewer clean rollouts than regressed ones when time is short (a clean one runs all 168 h).
    'clean-seeds': { type: 'string' },
    // Seeds run from here, so a later run can add seeds to an earlier one's.
    'first-seed': { type: 'string', default: '1' },
    devices: { type: 'string', default: '2000' },
    ratio: { type: 'string', default: '2' },
    workers: { type: 'string', default: String(Math.min(2, availableParallelism())) },
  },
});
const seeds = Number(values.seeds);
const cleanSeeds = Number(values['clean-seeds'] ?? values.seeds);
const firstSeed = Number(values['first-seed']);
const devices = Number(values.devices);
const ratio = Number(values.ratio);
const workers = Number(values.workers);
for (const [name, v, min] of [
  ['seeds', seeds, 1],
  ['clean-seeds', cleanSeeds, 1],
  ['first-seed', firstSeed, 1],
  ['devices', devices, 100],
  ['workers', workers, 1],
] as const) {
  if (!Number.isInteger(v) || v < min) {
    console.error(`--${name} must be a whole number of at least ${min}`);
    process.exit(2);
  }
}
if (!(ratio > 1)) {
  console.error('--ratio must be above 1');
  process.exit(2);
}

interface Outcome {
  readonly kind: 'clean' | 'regressed';
  readonly seed: number;
  readonly halted: boolean;
  readonly stage: string | null;
  readonly haltHours: number | null;
  readonly updated: number;
  readonly wallMs: number;
}

const jobs = [
  ...Array.from({ length: cleanSeeds }, (_, i) => ({
    kind: 'clean' as const,
    seed: firstSeed + i,
  })),
  ...Array.from({ length: seeds }, (_, i) => ({ kind: 'regressed' as const, seed: firstSeed + i })),
].map((j) => ({ ...j, devices, ratio }));

console.log(
  `${cleanSeeds} clean and ${seeds} ${ratio}× rollouts across ${devices} simulated carts each ` +
    `(0.05 errors/device-hour on the old version, 0.2 % rollbacks, 5-minute ticks), ${workers} workers`,
);
const started = performance.now();
const outcomes: Outcome[] = [];
let next = 0;
await Promise.all(
  Array.from({ length: workers }, () => {
    const child = fork(new URL('./ota/halt-worker.ts', import.meta.url), [], {
      execArgv: ['--import', 'tsx'],
    });
    return new Promise<void>((resolve, reject) => {
      // The worker ends on 'done'.
      const feed = () => child.send(next < jobs.length ? jobs[next++]! : 'done');
      child.on('message', (o: Outcome) => {
        outcomes.push(o);
        const where = o.halted
          ? `halted at ${o.stage} after ${o.haltHours!.toFixed(1)} h`
          : 'no halt';
        console.log(
          `  [${String(outcomes.length).padStart(3)}/${jobs.length}] ${o.kind.padEnd(9)} seed ${String(o.seed).padStart(3)}: ${where} (${(o.wallMs / 1000).toFixed(1)} s)`,
        );
        feed();
      });
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`worker exited ${code}`)),
      );
      feed();
    });
  }),
);

const clean = outcomes.filter((o) => o.kind === 'clean');
const regressed = outcomes.filter((o) => o.kind === 'regressed');
const falseHalts = clean.filter((o) => o.halted);
const caught = regressed.filter((o) => o.halted);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0
    ? null
    : s.length % 2
      ? s[s.length >> 1]!
      : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const stageOrder = ['canary', 'early', '10%', '25%', '100%'];
const medianStageIndex = median(caught.map((o) => stageOrder.indexOf(o.stage!)));
const medianStage = medianStageIndex === null ? null : stageOrder[Math.ceil(medianStageIndex)]!;
const medianHours = median(caught.map((o) => o.haltHours!));
const wallS = (performance.now() - started) / 1000;
const pct = (n: number, d: number) => (100 * n) / d;

console.log(
  `false halts: ${falseHalts.length}/${clean.length} clean rollouts (${pct(falseHalts.length, clean.length).toFixed(1)} %)` +
    (falseHalts.length
      ? `: seeds ${falseHalts.map((o) => `${o.seed} (${o.stage})`).join(', ')}`
      : ''),
);
console.log(
  `${ratio}× regressions halted by the end of the 10 % stage: ${caught.length}/${regressed.length} (${pct(caught.length, regressed.length).toFixed(1)} %); ` +
    `median halt in stage ${medianStage} after ${medianHours?.toFixed(1)} simulated hours`,
);
const byStage = Object.fromEntries(
  stageOrder.map((s) => [s, caught.filter((o) => o.stage === s).length]).filter(([, n]) => n),
);
console.log(`halts by stage: ${JSON.stringify(byStage)}; ${wallS.toFixed(0)} s of wall time`);
console.log(
  JSON.stringify({
    bench: 'ota-halts',
    devices,
    first_seed: firstSeed,
    clean_seeds: cleanSeeds,
    regressed_seeds: seeds,
    ratio,
    false_halt_share: Number((falseHalts.length / clean.length).toFixed(4)),
    false_halt_seeds: falseHalts.map((o) => o.seed),
    caught_by_10pct_share: Number((caught.length / regressed.length).toFixed(4)),
    median_halt_stage: medianStage,
    median_halt_hours: medianHours === null ? null : Number(medianHours.toFixed(2)),
    halts_by_stage: byStage,
    wall_seconds: Number(wallS.toFixed(1)),
  }),
);
