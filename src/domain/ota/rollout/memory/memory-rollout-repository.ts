import type { RolloutJobRecord, RolloutRecord, RolloutRepository, RolloutState } from '../ports.js';

/**
 * Rollouts in memory, for tests and the OTA simulator (10,000 devices): every call is O(1) or
 * O(jobs it returns). Records are immutable values, so they are kept and handed out as they are.
 */
export class MemoryRolloutRepository implements RolloutRepository {
  readonly #rollouts = new Map<string, RolloutRecord>();
  /** Per rollout, jobs by ordinal. */
  readonly #jobs = new Map<string, RolloutJobRecord[]>();
  readonly #byId = new Map<string, RolloutJobRecord>();
  readonly #byDevice = new Map<string, string[]>();
  #created = 0;
  readonly #order = new Map<string, number>();

  async create(rollout: RolloutRecord, jobs: readonly RolloutJobRecord[]): Promise<void> {
    if (this.#rollouts.has(rollout.rolloutId))
      throw new Error(`rollout ${rollout.rolloutId} exists`);
    this.#rollouts.set(rollout.rolloutId, rollout);
    this.#order.set(rollout.rolloutId, this.#created++);
    const list: RolloutJobRecord[] = [];
    this.#jobs.set(rollout.rolloutId, list);
    for (const job of jobs) {
      list[job.ordinal] = job;
      this.#byId.set(job.jobId, job);
      const ids = this.#byDevice.get(job.deviceId) ?? [];
      ids.push(job.jobId);
      this.#byDevice.set(job.deviceId, ids);
    }
  }

  async get(rolloutId: string): Promise<RolloutRecord | undefined> {
    return this.#rollouts.get(rolloutId);
  }

  async list(filter: { readonly states?: readonly RolloutState[] } = {}): Promise<RolloutRecord[]> {
    return [...this.#rollouts.values()]
      .filter((r) => filter.states === undefined || filter.states.includes(r.state))
      .sort((a, b) => b.createdAt - a.createdAt || this.#rank(b) - this.#rank(a));
  }

  async update(rollout: RolloutRecord): Promise<void> {
    if (this.#rollouts.has(rollout.rolloutId)) this.#rollouts.set(rollout.rolloutId, rollout);
  }

  async upsertJobs(jobs: readonly RolloutJobRecord[]): Promise<void> {
    for (const job of jobs) {
      const list = this.#jobs.get(job.rolloutId);
      if (!list) continue;
      if (!this.#byId.has(job.jobId)) {
        const ids = this.#byDevice.get(job.deviceId) ?? [];
        ids.push(job.jobId);
        this.#byDevice.set(job.deviceId, ids);
      }
      list[job.ordinal] = job;
      this.#byId.set(job.jobId, job);
    }
  }

  async jobsOf(rolloutId: string): Promise<RolloutJobRecord[]> {
    return (this.#jobs.get(rolloutId) ?? []).filter((j) => j !== undefined);
  }

  async job(jobId: string): Promise<RolloutJobRecord | undefined> {
    return this.#byId.get(jobId);
  }

  async jobsOfDevice(deviceId: string): Promise<RolloutJobRecord[]> {
    return (this.#byDevice.get(deviceId) ?? [])
      .map((id) => this.#byId.get(id)!)
      .sort((a, b) => {
        const ra = this.#rollouts.get(a.rolloutId)!;
        const rb = this.#rollouts.get(b.rolloutId)!;
        return rb.createdAt - ra.createdAt || this.#rank(rb) - this.#rank(ra);
      });
  }

  #rank(r: RolloutRecord): number {
    return this.#order.get(r.rolloutId) ?? 0;
  }
}
