import { keyFailure } from './errors.js';
import type { Clock, Salt, SaltStatus } from './key-provider.js';
import {
  byActivation,
  quarterOf,
  quarterStart,
  rotationDue,
  saltState,
  type SaltInfo,
} from './schedule.js';

/**
 * Where an adapter keeps its salts: it lists them without material, creates one exclusively with
 * fresh material, and unwraps one. How the material is wrapped (a local master key, KMS) is the
 * adapter's business; when salts rotate is not, and lives once in SaltRotation.
 */
export interface SaltRecords<R extends SaltInfo> {
  /** Every salt record, in any order. */
  list(): Promise<R[]>;
  /**
   * Creates the salt with fresh material unless one with that id exists (another process won the
   * race): returns the material when this call created it, undefined otherwise.
   */
  create(info: SaltInfo): Promise<Buffer | undefined>;
  /** The material of a listed salt. */
  material(record: R): Promise<Buffer>;
  /** Names the storage in failure messages. */
  readonly where: string;
}

/**
 * The salt half of the KeyProvider port on top of any SaltRecords: scheduled rotation at the start
 * of a quarter, manual rotation at once, previous salts usable for their 30 days (schedule.ts).
 */
export class SaltRotation<R extends SaltInfo> {
  constructor(
    private readonly records: SaltRecords<R>,
    private readonly now: Clock,
  ) {}

  async currentSalt(): Promise<Salt> {
    let salts = await this.records.list();
    const now = this.now();
    if (rotationDue(salts, now)) {
      const first = salts.length === 0;
      const info: SaltInfo = {
        id: `${quarterOf(now)}-1`,
        quarter: quarterOf(now),
        // The first salt starts now; a scheduled one takes effect at the quarter's start so the
        // previous salt's 30 days do not depend on when the first job of the quarter ran.
        activeFrom: first ? now : quarterStart(now),
        reason: first ? 'first' : 'scheduled',
      };
      const material = await this.records.create(info);
      if (material) return withMaterial(info, material);
      salts = await this.records.list(); // another process created it first: use theirs
    }
    return this.withMaterial(byActivation(salts).at(-1)!);
  }

  async salt(id: string): Promise<Salt> {
    // A scheduled rotation is due whether or not anyone asked for the current salt this quarter:
    // make it happen first, or an old salt would look current forever.
    await this.currentSalt();
    const salts = await this.records.list();
    const state = saltState(salts, id, this.now());
    const record = salts.find((s) => s.id === id);
    if (!state || !record) {
      throw keyFailure('unknown-salt', `no salt '${id}' in ${this.records.where}`);
    }
    if (state.state === 'expired') {
      throw keyFailure(
        'salt-expired',
        `salt '${id}' was superseded and stopped being usable on ${state.usableUntil.toISOString()}`,
      );
    }
    return this.withMaterial(record);
  }

  async saltStatus(): Promise<SaltStatus[]> {
    await this.currentSalt();
    const salts = await this.records.list();
    const now = this.now();
    return byActivation(salts).map((s) => ({
      id: s.id,
      quarter: s.quarter,
      activeFrom: s.activeFrom,
      reason: s.reason,
      ...saltState(salts, s.id, now)!,
    }));
  }

  async rotateSalt(): Promise<Salt> {
    await this.currentSalt();
    const now = this.now();
    const quarter = quarterOf(now);
    for (;;) {
      const salts = await this.records.list();
      const n = 1 + Math.max(0, ...salts.filter((s) => s.quarter === quarter).map(saltIndex));
      const info: SaltInfo = { id: `${quarter}-${n}`, quarter, activeFrom: now, reason: 'manual' };
      const material = await this.records.create(info);
      if (material) return withMaterial(info, material);
      // Another process rotated at the same moment: take the next number.
    }
  }

  private async withMaterial(record: R): Promise<Salt> {
    return withMaterial(record, await this.records.material(record));
  }
}

function withMaterial(info: SaltInfo, material: Buffer): Salt {
  return {
    id: info.id,
    quarter: info.quarter,
    activeFrom: info.activeFrom,
    reason: info.reason,
    material,
  };
}

function saltIndex(s: SaltInfo): number {
  return Number(/-(\d+)$/.exec(s.id)?.[1] ?? 0);
}
