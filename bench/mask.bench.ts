// The masking pipeline on this machine: rows per second masking 1,000,000 synthetic tool-telemetry
// rows (made by `mask synth`) with and without the free-text column, verify's rate on the same
// output, and the raw HMAC-SHA256 rate measured in the same run for comparison. Memory is
// sampled every 100,000 rows to show it stays flat. Ends with one JSON line.
// BENCH_ROWS=200000 npm run bench:mask for a shorter run.
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalKeyring } from '../src/stores/keys/index.js';
import {
  hmacSha256,
  loadRubric,
  runMaskJob,
  synthesize,
  verifyMasked,
} from '../src/domain/privacy/masking/index.js';
import { fmt, opsPerSecond } from './measure.js';

const rows = Number(process.env['BENCH_ROWS'] ?? 1_000_000);
const step = (label: string) => process.stderr.write(`… ${label}\n`);
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

console.log(
  `fleetplane masking benchmark — Node ${process.version}, ${availableParallelism()} cores, ${fmt(rows)} rows`,
);

step('raw HMAC-SHA256, one core (32-byte key, 30-byte value, hex digest)');
const key = randomBytes(32);
const value = 'ana.lima+tools@example.co.uk';
const hmacPerSec = opsPerSecond(() => createHmac('sha256', key).update(value).digest('hex'));
step('HMAC-SHA256 as the masking job computes it (one-shot hashes, key blocks prepared once)');
const mac = hmacSha256(key);
const jobHmacPerSec = opsPerSecond(() => mac(value).toString('hex'));

const dir = await mkdtemp(join(tmpdir(), 'fleetplane-bench-'));
const rubric = await loadRubric(
  new URL('../examples/tool-telemetry.rubric.yaml', import.meta.url).pathname,
);
const keys = new LocalKeyring(join(dir, 'data'));

interface Run {
  readonly rowsPerSec: number;
  readonly seconds: number;
  readonly inputMB: number;
  readonly rssMB: readonly number[];
  readonly heapMB: readonly number[];
}

async function measure(
  label: string,
  notes: boolean,
): Promise<Run & { verifyRowsPerSec: number; synthRowsPerSec: number }> {
  const input = join(dir, `${label}.csv`);
  const output = join(dir, `${label}.masked.csv`);
  step(`synth ${fmt(rows)} rows ${notes ? 'with' : 'without'} the notes column`);
  let t = process.hrtime.bigint();
  await synthesize({ rows, out: input, notes });
  const synthSeconds = Number(process.hrtime.bigint() - t) / 1e9;
  const inputMB = mb((await stat(input)).size);
  step(`mask (${inputMB} MB)`);
  const rss: number[] = [];
  const heap: number[] = [];
  const sample = () => {
    const m = process.memoryUsage();
    rss.push(mb(m.rss));
    heap.push(mb(m.heapUsed));
  };
  t = process.hrtime.bigint();
  await runMaskJob({
    rubric,
    domain: 'tool-telemetry',
    keys,
    dataDir: join(dir, 'data'),
    input,
    output,
    now: () => new Date(),
    progressEvery: Math.max(1, Math.floor(rows / 10)),
    onProgress: sample,
  });
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  step('verify the masked output');
  t = process.hrtime.bigint();
  const verified = await verifyMasked({ rubric, input: output });
  const verifySeconds = Number(process.hrtime.bigint() - t) / 1e9;
  if (!verified.ok)
    throw new Error(`verify failed on benchmark output: ${JSON.stringify(verified.counts)}`);
  await rm(input);
  await rm(output);
  return {
    rowsPerSec: rows / seconds,
    seconds,
    inputMB,
    rssMB: rss,
    heapMB: heap,
    verifyRowsPerSec: rows / verifySeconds,
    synthRowsPerSec: rows / synthSeconds,
  };
}

const withText = await measure('with-notes', true);
const withoutText = await measure('without-notes', false);
await rm(dir, { recursive: true, force: true });

const range = (xs: readonly number[]) => `${Math.min(...xs)}–${Math.max(...xs)} MB`;
console.log(`raw HMAC-SHA256 (createHmac), one core    ${fmt(hmacPerSec)} /s`);
console.log(`HMAC-SHA256 as the job computes it        ${fmt(jobHmacPerSec)} /s`);
for (const [label, r] of [
  ['with the free-text column', withText],
  ['without the free-text column', withoutText],
] as const) {
  console.log(
    `mask ${label.padEnd(29)} ${fmt(r.rowsPerSec)} rows/s (${r.seconds.toFixed(1)} s, ${r.inputMB} MB in; RSS ${range(r.rssMB)}, heap ${range(r.heapMB)} over the run)`,
  );
  console.log(
    `  verify the same output              ${fmt(r.verifyRowsPerSec)} rows/s; synth ${fmt(r.synthRowsPerSec)} rows/s`,
  );
}
console.log(
  `Each row hashes 2 columns and tokenises 3 (HMACs, cached per distinct value); uncached, 5 HMACs a row would cap a job at ${fmt(jobHmacPerSec / 5)} rows/s.`,
);
console.log(
  JSON.stringify({
    node: process.version,
    rows,
    hmacSha256PerSec: Math.round(hmacPerSec),
    jobHmacSha256PerSec: Math.round(jobHmacPerSec),
    withFreeText: {
      rowsPerSec: Math.round(withText.rowsPerSec),
      verifyRowsPerSec: Math.round(withText.verifyRowsPerSec),
      rssMB: withText.rssMB,
    },
    withoutFreeText: {
      rowsPerSec: Math.round(withoutText.rowsPerSec),
      verifyRowsPerSec: Math.round(withoutText.verifyRowsPerSec),
      rssMB: withoutText.rssMB,
    },
  }),
);
