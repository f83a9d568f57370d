import { runOtaSim } from '../../src/cli/ota/sim/ota-sim.js';

// One benchmark worker: runs the rollouts it is sent (kind, seed) and answers one line each.
// A 2× rollout stops once the 10 % stage has ended: whether it halted by then is the question.

interface Job {
  readonly kind: 'clean' | 'regressed';
  readonly seed: number;
  readonly devices: number;
  readonly ratio: number;
}

const STAGES_TO_10_PCT = 3;

process.on('message', (job: Job | 'done') => {
  if (job === 'done') {
    process.disconnect();
    return;
  }
  void (async () => {
    const started = performance.now();
    const result = await runOtaSim({
      devices: job.devices,
      oldErrorRate: 0.05,
      newErrorRate: job.kind === 'clean' ? 0.05 : 0.05 * job.ratio,
      rollbackRate: 0.002,
      seed: job.seed,
      ...(job.kind === 'regressed' ? { stopAfterStages: STAGES_TO_10_PCT } : {}),
    });
    const halt = result.stages.find((s) => s.outcome === 'halted');
    const haltHours = halt
      ? result.stages.reduce((sum, s) => sum + s.simulatedMs, 0) / 3_600_000
      : null;
    process.send!({
      kind: job.kind,
      seed: job.seed,
      halted: result.halted,
      stage: result.haltedAtStage,
      haltHours,
      updated: result.updated,
      wallMs: performance.now() - started,
    });
  })();
});
