import type { Gauge } from 'prom-client';

/** The rollout states whose devices are still worth a gauge: the rollout can still move. */
export const ACTIVE_ROLLOUT_STATES = ['running', 'halted'] as const;

/** What the gauge reads: the rollout engine's repository (memory, or the entity store's). */
export interface RolloutCounts {
  list(filter: {
    readonly states: readonly (typeof ACTIVE_ROLLOUT_STATES)[number][];
  }): Promise<readonly { readonly rolloutId: string; readonly state: string }[]>;
  jobsOf(rolloutId: string): Promise<readonly { readonly state: string }[]>;
}

/**
 * fleetplane_ota_rollout_devices: devices per job state in each running or halted rollout. Rollout
 * ids are a label, so only active rollouts are kept (a handful at a time): a completed or aborted
 * rollout's series are dropped at the next refresh. Every state of `states` is set, zeros
 * included, so a state that emptied reads 0 rather than its last count.
 */
export class OtaRolloutGauge {
  constructor(
    private readonly gauge: Gauge<'rollout' | 'state'>,
    private readonly states: readonly string[],
    /** fleetplane_ota_rollouts: how many rollouts are running and halted (alert on halted > 0). */
    private readonly rollouts?: Gauge<'state'>,
  ) {}

  async refresh(rollouts: RolloutCounts): Promise<void> {
    const active = await rollouts.list({ states: ACTIVE_ROLLOUT_STATES });
    const counts = new Map<string, Map<string, number>>();
    for (const { rolloutId } of active) {
      const byState = new Map(this.states.map((s) => [s, 0]));
      for (const job of await rollouts.jobsOf(rolloutId))
        byState.set(job.state, (byState.get(job.state) ?? 0) + 1);
      counts.set(rolloutId, byState);
    }
    // Set all at once after the reads, so a scrape never sees a half-refreshed gauge.
    this.gauge.reset();
    for (const [rollout, byState] of counts)
      for (const [state, n] of byState) this.gauge.set({ rollout, state }, n);
    for (const state of ACTIVE_ROLLOUT_STATES)
      this.rollouts?.set({ state }, active.filter((r) => r.state === state).length);
  }
}
