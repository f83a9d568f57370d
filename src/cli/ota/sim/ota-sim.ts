import { generateKeyPairSync } from 'node:crypto';
import type { OtaJob } from '../../../contract/index.js';
import { mulberry32, substream, type Random } from '../../../device/random.js';
import {
  HOUR_MS,
  MemoryFleetTargets,
  MemoryRolloutRepository,
  MemoryStoreCalendar,
  MemoryVersionHealth,
  RolloutEngine,
  type RolloutStatus,
} from '../../../domain/ota/rollout/index.js';
import { buildManifest, signManifest } from '../../../domain/ota/signing/index.js';
import { SimDevice, type SimWorld } from './sim-device.js';

export interface OtaSimOptions {
  readonly devices: number;
  /** Faults per device-hour on the new version (failed boots come on top). */
  readonly newErrorRate: number;
  /** Faults per device-hour on the old version. */
  readonly oldErrorRate: number;
  /** Share of new-version boots that crash before marking themselves good. */
  readonly rollbackRate: number;
  /** Share of carts that go silent for good after booting the new version (default 0). */
  readonly silentRate?: number;
  /** Stops once this many stages have ended (the benchmark needs no more); default all. */
  readonly stopAfterStages?: number;
  readonly seed: number;
  /** Simulated time between engine ticks; default 5 minutes. */
  readonly stepMs?: number;
  /** Carts per store; default 50. */
  readonly cartsPerStore?: number;
  /** Told each stage as it ends, and the halt. */
  readonly onStage?: (stage: SimStage) => void;
}

export interface SimStage {
  readonly name: string;
  /** Simulated time the stage ran. */
  readonly simulatedMs: number;
  readonly cohort: number;
  readonly updated: number;
  readonly rolledBack: number;
  readonly outcome: 'advanced' | 'completed' | 'halted';
  readonly detail?: string;
}

export interface OtaSimResult {
  readonly stages: SimStage[];
  readonly halted: boolean;
  readonly haltedAtStage: string | null;
  readonly updated: number;
  readonly rolledBack: number;
  /** Carts that went silent after updating. */
  readonly silent: number;
  readonly devices: number;
  readonly simulatedMs: number;
  readonly status: RolloutStatus;
}

const OLD_VERSION = '2.4.1';
const NEW_VERSION = '2.5.0';
const HARDWARE = [
  { rev: 'v2-proto', weight: 0.6 },
  { rev: 'v2-rev-b', weight: 0.3 },
  { rev: 'v3', weight: 0.1 },
];
const T0 = Date.UTC(2026, 10, 23, 0, 0, 0);

/**
 * A whole rollout in simulated time: the platform's rollout engine (in-memory ports) and, per
 * cart, the cart model's bootloader and update logic, with signed manifests checked for real.
 * Faults arrive as a Poisson process at each version's rate; a share of new-version boots crash
 * before mark-good and roll back. Nothing here decides a stage: the engine does.
 */
export async function runOtaSim(options: OtaSimOptions): Promise<OtaSimResult> {
  const stepMs = options.stepMs ?? 5 * 60_000;
  const random = mulberry32(options.seed);
  const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const image = randomImage(substream(options.seed, 'image'), 4096);
  let now = T0;
  const manifest = signManifest(
    buildManifest({
      version: NEW_VERSION,
      deviceClass: 'cart',
      hardwareRevisions: HARDWARE.map((h) => h.rev),
      image,
      caGeneration: 1,
      validDays: 60,
      now,
    }),
    keys.privateKey,
  );

  const targets = new MemoryFleetTargets();
  const health = new MemoryVersionHealth((id) => targets.get(id));
  const calendar = new MemoryStoreCalendar();
  const devices = new Map<string, SimDevice>();
  const fleet = new VersionIndex();
  const silent = new Set<string>();
  const crashRandom = substream(options.seed, 'crash');
  const silenceRandom = substream(options.seed, 'silence');
  const world: SimWorld = {
    now: () => now,
    signingKey: keys.publicKey,
    download: (url) =>
      url.includes(manifest.manifest.sha256)
        ? Promise.resolve(image)
        : Promise.reject(new Error(`404 ${url}`)),
    jobStatus: async (deviceId, status) => {
      await engine.onJobStatus(deviceId, status, now);
    },
    booted: async (deviceId, boot) => {
      const failed = boot.rolled_back ? boot.previous_version : undefined;
      if (failed !== undefined) {
        health.record({ kind: 'failed-boot', deviceId, version: failed, at: now });
      }
      health.record({ kind: 'running', deviceId, version: boot.firmware_version, at: now });
      targets.update(deviceId, { firmwareVersion: boot.firmware_version, lastSeenAt: now });
      fleet.set(deviceId, boot.firmware_version);
      await engine.onBoot(deviceId, boot, now);
      if (
        boot.firmware_version === NEW_VERSION &&
        (options.silentRate ?? 0) > 0 &&
        silenceRandom() < options.silentRate!
      ) {
        // Said it booted, then nothing more: no heartbeat, no faults, no exposure.
        silent.add(deviceId);
        fleet.remove(deviceId);
        health.record({ kind: 'offline', deviceId, version: '', at: now });
      }
    },
    crashes: (_id, version) => version === NEW_VERSION && crashRandom() < options.rollbackRate,
  };
  const engine = new RolloutEngine(
    {
      repository: new MemoryRolloutRepository(),
      targets,
      calendar,
      health,
      sender: {
        // Delivered on the next turn: a device answering inside the engine's send would race it.
        send: (deviceId: string, job: OtaJob) => {
          pendingJobs.push([deviceId, job]);
          return Promise.resolve();
        },
      },
      urls: {
        mint: (imageId, at) => ({
          url: `https://sim.invalid/v1/device/firmware/${imageId}?expires=${at + 900_000}`,
          expiresAt: at + 900_000,
        }),
      },
    },
    // Seeded ids: the cohort order hashes the rollout id, so a seed replays the same rollout.
    { newId: seededUuids(substream(options.seed, 'ids')) },
  );
  const pendingJobs: [string, OtaJob][] = [];

  const perStore = options.cartsPerStore ?? 50;
  for (let i = 0; i < options.devices; i++) {
    const deviceId = `CART-${String(i + 1).padStart(5, '0')}`;
    const storeId = `store-${String(Math.floor(i / perStore) + 1).padStart(4, '0')}`;
    const hardwareRev = pick(random, HARDWARE);
    calendar.setTimezone(storeId, 'Europe/Berlin');
    targets.put({
      deviceId,
      storeId,
      deviceClass: 'cart',
      hardwareRev,
      firmwareVersion: OLD_VERSION,
      caGenerations: [1],
      lastSeenAt: now,
    });
    const device = new SimDevice(deviceId, storeId, hardwareRev, OLD_VERSION, world);
    devices.set(deviceId, device);
    await device.powerOn();
  }

  const rollout = await engine.create(
    {
      targetVersion: NEW_VERSION,
      deviceClass: 'cart',
      manifest: { signed: manifest.signed, signature: manifest.signature },
      parsedManifest: manifest.manifest,
      imageId: manifest.manifest.sha256,
      createdBy: 'ota-sim',
    },
    now,
  );
  const stages: SimStage[] = [];
  const faultRandom = substream(options.seed, 'faults');
  const ids = [...devices.keys()];
  const totalMs = rollout.stages.reduce((sum, s) => sum + s.durationMs, 0);
  const limit = T0 + totalMs + 14 * 24 * HOUR_MS;
  let stageStartedAt = now;
  let state: string = rollout.state;
  let stageIndex = 0;

  while (state === 'running' && now < limit && stages.length < (options.stopAfterStages ?? 99)) {
    now += stepMs;
    injectFaults(faultRandom, fleet, health, options, stepMs, now);
    for (const id of ids) if (!silent.has(id)) targets.heard(id, now);
    const tick = await engine.tick(now);
    while (pendingJobs.length > 0) {
      const batch = pendingJobs.splice(0);
      await Promise.all(batch.map(([id, job]) => devices.get(id)!.onJob(job)));
    }
    if (tick.advanced.length + tick.completed.length + tick.halted.length === 0) continue;
    const after = await engine.status(rollout.rolloutId, now);
    const ended = after.stages[stageIndex]!;
    const outcome =
      after.state === 'halted' ? 'halted' : after.state === 'completed' ? 'completed' : 'advanced';
    const stage: SimStage = {
      name: ended.name,
      simulatedMs: now - stageStartedAt,
      cohort: ended.cohortSize,
      updated: cumulative(after, ended.index, 'onNewVersion'),
      rolledBack: cumulative(after, ended.index, 'rolledBack'),
      outcome,
      ...(after.haltReason ? { detail: after.haltReason } : {}),
    };
    stages.push(stage);
    options.onStage?.(stage);
    stageStartedAt = now;
    stageIndex = after.stage.index;
    state = after.state;
  }
  // Jobs still in flight when the engine stopped settle before counting.
  const status = await engine.status(rollout.rolloutId, now);
  return {
    stages,
    halted: status.state === 'halted',
    haltedAtStage: status.state === 'halted' ? status.stage.name : null,
    updated: status.totals.onNewVersion,
    rolledBack: status.totals.rolledBack,
    silent: silent.size,
    devices: options.devices,
    simulatedMs: now - T0,
    status,
  };
}

/** Devices of the stages up to `index` in one state. */
function cumulative(
  status: RolloutStatus,
  index: number,
  field: 'onNewVersion' | 'rolledBack',
): number {
  return status.stages.slice(0, index + 1).reduce((sum, s) => sum + s[field], 0);
}

/** Poisson faults for one step: each version's carts at its rate, spread over them uniformly. */
function injectFaults(
  random: Random,
  fleet: VersionIndex,
  health: MemoryVersionHealth,
  options: OtaSimOptions,
  stepMs: number,
  now: number,
): void {
  const hours = stepMs / HOUR_MS;
  for (const [version, list] of fleet.byVersion()) {
    const rate = version === NEW_VERSION ? options.newErrorRate : options.oldErrorRate;
    const faults = poisson(random, rate * hours * list.length);
    for (let k = 0; k < faults; k++) {
      const deviceId = list[Math.floor(random() * list.length)]!;
      // Spread inside the step, so windows see them at their own minute.
      const at = now - Math.floor(random() * stepMs);
      health.record({ kind: 'fault', deviceId, version, at });
    }
  }
}

/**
 * Which carts run which version, kept from their boots: faults are drawn per version each step,
 * and asking every cart its version each step was most of the simulator's time at 10,000 carts.
 */
class VersionIndex {
  readonly #lists = new Map<string, string[]>();
  readonly #where = new Map<string, { version: string; index: number }>();

  set(deviceId: string, version: string): void {
    if (this.#where.get(deviceId)?.version === version) return;
    this.remove(deviceId);
    let list = this.#lists.get(version);
    if (!list) this.#lists.set(version, (list = []));
    this.#where.set(deviceId, { version, index: list.length });
    list.push(deviceId);
  }

  remove(deviceId: string): void {
    const at = this.#where.get(deviceId);
    if (!at) return;
    const list = this.#lists.get(at.version)!;
    const last = list.pop()!;
    if (last !== deviceId) {
      list[at.index] = last;
      this.#where.set(last, { version: at.version, index: at.index });
    }
    this.#where.delete(deviceId);
  }

  byVersion(): IterableIterator<[string, string[]]> {
    return this.#lists.entries();
  }
}

/** Knuth for small means, a normal approximation above 30. */
function poisson(random: Random, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 30) {
    const u = Math.max(random(), 1e-12);
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
  }
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}

function pick(random: Random, options: readonly { rev: string; weight: number }[]): string {
  let r = random();
  for (const o of options) {
    if ((r -= o.weight) < 0) return o.rev;
  }
  return options[options.length - 1]!.rev;
}

function seededUuids(random: Random): () => string {
  return () => {
    const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
    const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };
}

function randomImage(random: Random, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = Math.floor(random() * 256);
  return bytes;
}
