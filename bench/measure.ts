/** Runs `op` in batches for about `ms` milliseconds and returns operations per second. */
export function opsPerSecond(op: () => unknown, ms = 1500): number {
  const batch = calibrate(op);
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(ms) * 1_000_000n;
  let done = 0;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < batch; i++) op();
    done += batch;
    now = process.hrtime.bigint();
  }
  return done / (Number(now - start) / 1e9);
}

/** A batch size that takes about 10 ms, so the clock is read rarely. */
function calibrate(op: () => unknown): number {
  let n = 1;
  for (;;) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) op();
    const elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
    if (elapsed > 10 || n > 1 << 20) return n;
    n *= 2;
  }
}

export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
