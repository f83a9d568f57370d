// A fleet for rollout-engine tests: the engine over its in-memory ports, a manifest, fake URLs, a
// recording sender, and a deterministic device model that updates when sent a job and has errors
// at a given rate per device-hour.
import type { OtaJob, OtaManifest } from '../src/contract/index.js';
import {
  HOUR_MS,
  MemoryFleetTargets,
  MemoryRolloutRepository,
  MemoryStoreCalendar,
  MemoryVersionHealth,
  RolloutEngine,
  stableHash,
  type OtaTarget,
  type RolloutSpec,
} from '../src/domain/ota/rollout/index.js';

export const T0 = Date.parse('2026-11-23T00:00:00.000Z');
export const OLD = '1.4.0';
export const NEW = '2.0.0';

export function manifest(overrides: Partial<OtaManifest> = {}): OtaManifest {
  return {
    version: NEW,
    device_class: 'cart',
    hardware_revisions: ['A', 'B', 'C'],
    size: 1024,
    sha256: 'ab'.repeat(32),
    issued_at: '2026-11-01T00:00:00.000Z',
    expires_at: '2027-11-01T00:00:00.000Z',
    min_version: '1.0.0',
    ca_generation: 2,
    ...overrides,
  };
}

export function spec(overrides: Partial<RolloutSpec> = {}): RolloutSpec {
  const parsed = overrides.parsedManifest ?? manifest();
  return {
    targetVersion: parsed.version,
    deviceClass: 'cart',
    manifest: {
      signed: Buffer.from(JSON.stringify(parsed)).toString('base64'),
      signature: `${'A'.repeat(86)}==`,
    },
    parsedManifest: parsed,
    imageId: parsed.sha256,
    createdBy: 'ops:test',
    ...overrides,
  };
}

export interface FleetOptions {
  readonly devices: number;
  readonly stores?: readonly string[];
  readonly hardwareRevs?: readonly string[];
  readonly caGenerations?: (i: number) => number[];
  /** Seeds the rollout and job ids, and so the cohort order (default 1). */
  readonly seed?: number;
}

export class RolloutWorld {
  readonly repository = new MemoryRolloutRepository();
  readonly targets = new MemoryFleetTargets();
  readonly calendar = new MemoryStoreCalendar();
  readonly health = new MemoryVersionHealth((id) => this.targets.get(id));
  readonly sent: OtaJob[] = [];
  readonly rollbacks: string[] = [];
  /** Rollout ids the engine said it changed, in order. */
  readonly changed: string[] = [];
  /** Devices the model updates when they are sent a job (all by default). */
  updateOnSend = true;
  /** Devices that stopped reporting (no heartbeat, no errors, no exposure). */
  readonly silent = new Set<string>();
  #urls = 0;
  readonly engine: RolloutEngine;

  constructor(options: FleetOptions) {
    const stores = options.stores ?? ['store-1'];
    const revs = options.hardwareRevs ?? ['A'];
    for (let i = 0; i < options.devices; i++) {
      this.targets.put({
        deviceId: `CART-${String(i).padStart(5, '0')}`,
        storeId: stores[i % stores.length]!,
        deviceClass: 'cart',
        hardwareRev: revs[Math.floor(i / stores.length) % revs.length]!,
        firmwareVersion: OLD,
        caGenerations: options.caGenerations?.(i) ?? [1, 2],
        lastSeenAt: T0,
      });
      this.health.record({
        kind: 'running',
        deviceId: `CART-${String(i).padStart(5, '0')}`,
        version: OLD,
        at: T0 - HOUR_MS,
      });
    }
    this.engine = new RolloutEngine(
      {
        repository: this.repository,
        targets: this.targets,
        calendar: this.calendar,
        health: this.health,
        sender: { send: async (deviceId, job) => this.#receive(deviceId, job) },
        urls: {
          mint: (imageId, now) => ({
            url: `https://fw.test/v1/device/firmware/${imageId}?n=${++this.#urls}`,
            expiresAt: now + 15 * 60_000,
          }),
        },
      },
      {
        onRollback: (v) => this.rollbacks.push(v),
        onChanged: (id) => this.changed.push(id),
        newId: sequentialIds(options.seed ?? 1),
      },
    );
  }

  async #receive(deviceId: string, job: OtaJob): Promise<void> {
    this.sent.push(job);
    if (!this.updateOnSend) return;
    const at = Date.parse(job.ts);
    this.targets.update(deviceId, { firmwareVersion: NEW });
    this.health.record({ kind: 'running', deviceId, version: NEW, at });
    await this.engine.onJobStatus(deviceId, jobStatus(job, 'succeeded'), at);
  }

  /** The device stops reporting at `at`, as a cart that bricked would. */
  silence(deviceId: string, at: number): void {
    this.silent.add(deviceId);
    this.health.record({ kind: 'offline', deviceId, version: '', at });
  }

  device(deviceId: string): OtaTarget {
    return this.targets.get(deviceId)!;
  }

  /**
   * Runs the clock from `from` to `to` in steps: each step every device has errors at its
   * version's rate (per device-hour; deterministic, phases spread by a hash) and is heard from
   * (unless silent), then the engine ticks. Returns the time reached.
   */
  async run(
    from: number,
    to: number,
    rates: { old: number; new: (now: number) => number },
    stepMs = 10 * 60_000,
    until?: () => Promise<boolean>,
  ): Promise<number> {
    const budget = new Map<string, number>();
    let now = from;
    while (now < to) {
      now += stepMs;
      for (const t of await this.targets.list({ deviceClass: 'cart' })) {
        if (this.silent.has(t.deviceId)) continue;
        this.targets.update(t.deviceId, { lastSeenAt: now });
        const rate = t.firmwareVersion === NEW ? rates.new(now) : rates.old;
        let b = budget.get(t.deviceId) ?? (stableHash(t.deviceId) % 1000) / 1000;
        b += (rate * stepMs) / HOUR_MS;
        while (b >= 1) {
          b -= 1;
          this.health.record({
            kind: 'fault',
            deviceId: t.deviceId,
            version: t.firmwareVersion!,
            at: now - 1,
          });
        }
        budget.set(t.deviceId, b);
      }
      await this.engine.tick(now);
      if (until && (await until())) break;
    }
    return now;
  }
}

export function jobStatus(
  job: OtaJob,
  status: 'received' | 'downloading' | 'succeeded' | 'failed' | 'rejected',
  reason?: string,
) {
  return {
    schema_version: 1 as const,
    device_id: job.device_id,
    type: 'job-status' as const,
    counter: 1,
    ts: job.ts,
    job_id: job.job_id,
    target_version: NEW,
    status,
    ...(reason ? { reason } : {}),
  };
}

/** UUID v4-shaped ids from a counter, so cohort orders (hashed from the rollout id) repeat. */
export function sequentialIds(seed: number): () => string {
  let n = 0;
  return () => {
    n++;
    const hex = (x: number, width: number) => x.toString(16).padStart(width, '0');
    return `${hex(seed, 8)}-0000-4000-8000-${hex(n, 12)}`;
  };
}
