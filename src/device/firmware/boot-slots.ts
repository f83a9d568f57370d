import { compareVersions, type OtaManifest } from '../../contract/index.js';

export type Slot = 'A' | 'B';

/** An image written to the inactive slot, waiting to prove itself. */
export interface BootTrial {
  readonly slot: Slot;
  readonly version: string;
  /** What ran before: the version the bootloader returns to when the trial fails. */
  readonly fromVersion: string;
  readonly jobId: string;
  /** The manifest's min_version: it becomes the anti-rollback floor only once the trial is good. */
  readonly minVersion: string;
  /** The bootloader jumped into it once; a second boot without mark-good means it crashed. */
  readonly tried: boolean;
}

/** What the bootloader keeps across power cuts (flash on a cart, memory in the OTA simulator). */
export interface BootState {
  readonly active: Slot;
  readonly slots: { readonly A?: string; readonly B?: string };
  readonly trial?: BootTrial;
  /** The highest min_version ever committed: images below it are refused. */
  readonly floor?: string;
  readonly bootCount: number;
  /**
   * OTA jobs that reached an end (succeeded, failed, rejected), newest last: a notify delivered
   * again after a reboot must not run the job twice.
   */
  readonly finishedJobs: readonly string[];
}

/** The port the bootloader persists through. */
export interface BootStore {
  read(): Promise<BootState | undefined>;
  write(state: BootState): Promise<void>;
}

/** What one boot came up as. */
export interface BootOutcome {
  readonly slot: Slot;
  readonly version: string;
  /** The bootloader returned to the old slot because the trial never marked itself good. */
  readonly rolledBack: boolean;
  /** After a trial boot: the version updated from; after a rollback: the version that failed. */
  readonly previousVersion?: string;
  /** Booted into an untested image: it must mark itself good or it is rolled back. */
  readonly trial: boolean;
  /** The OTA job of the trial (trial boot or rollback). */
  readonly jobId?: string;
  readonly bootCount: number;
}

/** Finished job ids kept: a rollout sends a device a handful of jobs a year. */
const MAX_FINISHED_JOBS = 64;

/** A store in memory: what the OTA simulator's ten thousand carts use. */
export function memoryBootStore(initial?: BootState): BootStore & { state?: BootState } {
  const store: BootStore & { state?: BootState } = {
    ...(initial ? { state: initial } : {}),
    read: () => Promise.resolve(store.state),
    write: (state) => {
      store.state = state;
      return Promise.resolve();
    },
  };
  return store;
}

/**
 * The A/B bootloader. One slot runs; an update is written to the other and staged as a trial.
 * The next boot tries it once; the new firmware must mark itself good before the boot after,
 * otherwise the bootloader returns to the old slot and says so. The object holds what RAM
 * holds for one boot: after a reboot, open it again from the store.
 */
export class BootSlots {
  #state: BootState;
  /** This boot runs the trial image (tried, not yet good). */
  #inTrial = false;

  private constructor(
    private readonly store: BootStore,
    state: BootState,
  ) {
    this.#state = state;
  }

  /** Opens the bootloader's state; a fresh device has the factory image in slot A. */
  static async open(store: BootStore, factoryVersion: string): Promise<BootSlots> {
    const state = (await store.read()) ?? {
      active: 'A',
      slots: { A: factoryVersion },
      bootCount: 0,
      finishedJobs: [],
    };
    return new BootSlots(store, state);
  }

  get state(): BootState {
    return this.#state;
  }

  /** The version running in this boot (the trial's while in a trial). */
  get runningVersion(): string {
    const s = this.#state;
    if (this.#inTrial && s.trial) return s.trial.version;
    return s.slots[s.active] ?? '0.0.0';
  }

  get floor(): string | undefined {
    return this.#state.floor;
  }

  /** Booted into a trial that has not marked itself good yet. */
  get inTrial(): boolean {
    return this.#inTrial;
  }

  /** The staged or running trial, if any. */
  get trial(): BootTrial | undefined {
    return this.#state.trial;
  }

  isFinished(jobId: string): boolean {
    return this.#state.finishedJobs.includes(jobId);
  }

  async finish(jobId: string): Promise<void> {
    if (this.isFinished(jobId)) return;
    const finishedJobs = [...this.#state.finishedJobs, jobId].slice(-MAX_FINISHED_JOBS);
    await this.#write({ ...this.#state, finishedJobs });
  }

  /**
   * The inactive slot now holds `manifest`'s image: the next boot tries it. A trial staged
   * earlier and not yet booted is replaced; staging while running a trial is refused (the
   * trial must first prove itself or fail).
   */
  async stage(manifest: OtaManifest, jobId: string): Promise<void> {
    if (this.#inTrial) throw new Error('staging while a trial runs: mark it good first');
    const s = this.#state;
    const slot: Slot = s.active === 'A' ? 'B' : 'A';
    await this.#write({
      ...s,
      slots: { ...s.slots, [slot]: manifest.version },
      trial: {
        slot,
        version: manifest.version,
        fromVersion: s.slots[s.active] ?? '0.0.0',
        jobId,
        minVersion: manifest.min_version,
        tried: false,
      },
    });
  }

  /** What the bootloader does at reset: try a staged trial once, roll back a failed one. */
  async boot(): Promise<BootOutcome> {
    const s = this.#state;
    const bootCount = s.bootCount + 1;
    const trial = s.trial;
    if (trial && !trial.tried) {
      // Marked tried before jumping in: a crash at any point before mark-good rolls back.
      await this.#write({ ...s, bootCount, trial: { ...trial, tried: true } });
      this.#inTrial = true;
      return {
        slot: trial.slot,
        version: trial.version,
        rolledBack: false,
        previousVersion: trial.fromVersion,
        trial: true,
        jobId: trial.jobId,
        bootCount,
      };
    }
    this.#inTrial = false;
    const version = s.slots[s.active] ?? '0.0.0';
    if (trial) {
      // Tried and never marked good: the trial crashed (or hung) before committing.
      await this.#write({ ...withoutTrial(s), bootCount });
      return {
        slot: s.active,
        version,
        rolledBack: true,
        previousVersion: trial.version,
        trial: false,
        jobId: trial.jobId,
        bootCount,
      };
    }
    await this.#write({ ...s, bootCount });
    return { slot: s.active, version, rolledBack: false, trial: false, bootCount };
  }

  /**
   * The running trial commits: its slot becomes the active one and the anti-rollback floor
   * rises to its min_version (never falls). False when this boot is not a trial.
   */
  async markGood(): Promise<boolean> {
    const s = this.#state;
    const trial = s.trial;
    if (!this.#inTrial || !trial) return false;
    const floor =
      s.floor === undefined || compareVersions(trial.minVersion, s.floor) > 0
        ? trial.minVersion
        : s.floor;
    await this.#write({ ...withoutTrial(s), active: trial.slot, floor });
    this.#inTrial = false;
    return true;
  }

  async #write(state: BootState): Promise<void> {
    this.#state = state;
    await this.store.write(state);
  }
}

function withoutTrial(state: BootState): BootState {
  const copy = { ...state };
  delete (copy as { trial?: BootTrial }).trial;
  return copy;
}
