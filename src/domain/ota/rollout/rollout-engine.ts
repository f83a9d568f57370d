import { randomUUID } from 'node:crypto';
import type { Boot, JobStatus } from '../../../contract/index.js';
import { afterClockStep } from './clock-step.js';
import { dueChanges, wantedJobs } from './due-jobs.js';
import { currentEvidence, judgeStage } from './stage-judgement.js';
import { silentDevices } from './silent-devices.js';
import { applyJobStatus, applyRollbackBoot } from './job-transitions.js';
import { localMinutes, openStores, parseWindows } from './maintenance-window.js';
import { normaliseOpeningHours } from './opening-hours.js';
import { sendJobs } from './send-jobs.js';
import type {
  OpeningHours,
  RolloutJobRecord,
  RolloutPorts,
  RolloutRecord,
  RolloutState,
  StoreSchedule,
} from './ports.js';
import { rolloutFailure } from './rollout-errors.js';
import { planRollout, withAction } from './rollout-plan.js';
import type { RolloutSpec } from './rollout-spec.js';
import { rolloutStatus, type RolloutStatus } from './rollout-status.js';

export interface RolloutEngineOptions {
  /** Called once per job that rolls back: the platform counts firmware_rollback_count by it. */
  readonly onRollback?: (targetVersion: string) => void;
  /**
   * Called after a rollout's state, stage or jobs may have changed (created, a tick, a job
   * status, a rollback, release, abort, opt-out): the live stream tells open pages.
   */
  readonly onChanged?: (rolloutId: string) => void;
  /** Rollout and job ids (UUID v4); default crypto.randomUUID. */
  readonly newId?: () => string;
  /** Sends in flight at once per tick. */
  readonly sendConcurrency?: number;
}

/** What one tick did, for logs and the simulator. */
export interface TickReport {
  sent: number;
  timedOut: number;
  readonly halted: string[];
  readonly advanced: string[];
  readonly completed: string[];
  readonly sendErrors: { readonly deviceId: string; readonly error: string }[];
}

/**
 * Staged OTA rollouts (issue 8): cohorts that grow stage by stage, sent inside stores' maintenance
 * windows, halted by themselves when the new version's error rate regresses, released or aborted
 * by a person. Pure domain: every method takes `now` (ms); the world is behind RolloutPorts.
 *
 * State changes run one at a time (an internal queue), so a job-status report and a tick never
 * overwrite each other's view of a job. Sending happens outside that queue, after the jobs are
 * recorded as sent, so a device answering at once (the simulator calls straight back) is not held.
 * One engine per entity store: two processes ticking the same rollouts would both send.
 */
export class RolloutEngine {
  readonly #newId: () => string;
  readonly #concurrency: number;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ports: RolloutPorts,
    private readonly options: RolloutEngineOptions = {},
  ) {
    this.#newId = options.newId ?? randomUUID;
    this.#concurrency = options.sendConcurrency ?? 64;
  }

  /** Starts a rollout, or refuses with a RolloutFailure (ca-dependency, no-targets, …). */
  create(spec: RolloutSpec, now: number): Promise<RolloutRecord> {
    return this.#serial(async () => {
      const filter = { deviceClass: spec.deviceClass, ...spec.targets };
      const found = await this.ports.targets.list(filter);
      const { rollout, jobs } = planRollout(spec, found, now, this.#newId);
      await this.ports.repository.create(rollout, jobs);
      this.#changed(rollout.rolloutId);
      return rollout;
    });
  }

  /**
   * Judges health, advances or halts, and sends the current cohort's due jobs, per rollout.
   * `clockStepMs`: how far the host clock stepped since the last tick (clock-step.ts).
   */
  async tick(now: number, clockStepMs = 0): Promise<TickReport> {
    const report: TickReport = {
      sent: 0,
      timedOut: 0,
      halted: [],
      advanced: [],
      completed: [],
      sendErrors: [],
    };
    const running = await this.ports.repository.list({ states: ['running'] });
    for (const { rolloutId } of running) {
      const due = await this.#serial(() => this.#step(rolloutId, now, clockStepMs, report));
      await this.#send(due, now, report);
      this.#changed(rolloutId);
    }
    return report;
  }

  async #step(
    rolloutId: string,
    now: number,
    clockStepMs: number,
    report: TickReport,
  ): Promise<SendDue | undefined> {
    const stored = await this.ports.repository.get(rolloutId);
    if (!stored || stored.state !== 'running') return undefined;
    let rollout = afterClockStep(stored, clockStepMs, now);
    const evidence = currentEvidence(rollout);
    const jobs = await this.ports.repository.jobsOf(rollout.rolloutId);
    if (evidence.judgedTo < now) {
      // Non-overlapping increments: each error and device-hour enters the sequential test once.
      const sample = await this.ports.health.measure({
        targets: rollout.targets,
        version: rollout.targetVersion,
        from: evidence.judgedTo,
        to: now,
      });
      const silent = await silentDevices(this.ports.targets, rollout, evidence, jobs, now);
      // Only installs that finished since creation or the last release: a person who released a
      // halted rollout has judged the rollbacks that halted it.
      const judged = (j: RolloutJobRecord) => (j.finishedAt ?? 0) >= rollout!.healthFrom;
      const installs = {
        kept: jobs.filter((j) => j.state === 'succeeded' && judged(j)).length,
        rolledBack: jobs.filter((j) => j.state === 'rolled-back' && judged(j)).length,
      };
      const verdict = judgeStage(rollout, sample, now, silent, installs);
      rollout = verdict.rollout;
      if (verdict.outcome !== 'held') report[verdict.outcome].push(rolloutId);
      if (verdict.outcome === 'halted' || verdict.outcome === 'completed') {
        await this.ports.repository.update(rollout);
        return undefined;
      }
    }
    await this.ports.repository.update(rollout);
    return this.#dueJobs(rollout, jobs, now, report);
  }

  /** Marks the cohort's due jobs sent (or timed-out) and returns those to send. */
  async #dueJobs(
    rollout: RolloutRecord,
    jobs: readonly RolloutJobRecord[],
    now: number,
    report: TickReport,
  ): Promise<SendDue> {
    const wanted = wantedJobs(rollout, jobs, now);
    const stores = wanted.map((j) => j.storeId);
    const open = await openStores(this.ports.calendar, stores, now, rollout.sendIn);
    const { changed, toSend, timedOut } = dueChanges(rollout, wanted, open, now);
    report.timedOut += timedOut;
    await this.ports.repository.upsertJobs(changed);
    return { rollout, jobs: toSend, before: new Map(wanted.map((j) => [j.jobId, j])) };
  }

  /** Sends outside the queue; a send that fails puts its job back as it was, unless it moved on. */
  async #send(due: SendDue | undefined, now: number, report: TickReport): Promise<void> {
    if (!due || due.jobs.length === 0) return;
    const failed = await sendJobs(
      this.ports,
      due.rollout,
      due.jobs,
      now,
      this.#concurrency,
      report,
    );
    if (failed.length === 0) return;
    await this.#serial(async () => {
      const revert: RolloutJobRecord[] = [];
      for (const job of failed) {
        const stored = await this.ports.repository.job(job.jobId);
        const before = due.before.get(job.jobId);
        if (before && stored?.state === 'sent' && stored.attempts === job.attempts)
          revert.push(before);
      }
      await this.ports.repository.upsertJobs(revert);
    });
  }

  /**
   * Sends a device again its jobs of running rollouts that it was sent and never acknowledged:
   * its broker session, and the job queued there, did not survive (decision 051). Not another
   * attempt (the device runs a job id once); the job's timeout counts from now. Returns how many
   * reached the broker; a send that fails is left to the tick's timeout.
   */
  async redeliver(deviceId: string, now: number): Promise<number> {
    const due = await this.#serial(async () => {
      const again: { rollout: RolloutRecord; job: RolloutJobRecord }[] = [];
      for (const job of await this.ports.repository.jobsOfDevice(deviceId)) {
        if (job.state !== 'sent') continue;
        const rollout = await this.ports.repository.get(job.rolloutId);
        if (rollout?.state !== 'running') continue;
        const resent = { ...job, lastSentAt: now };
        await this.ports.repository.upsertJobs([resent]);
        again.push({ rollout, job: resent });
      }
      return again;
    });
    const report = { sent: 0, sendErrors: [] };
    for (const { rollout, job } of due) await sendJobs(this.ports, rollout, [job], now, 1, report);
    return report.sent;
  }

  /** A device's job-status report; false when it names no job of this device or changes nothing. */
  onJobStatus(deviceId: string, status: JobStatus, now: number): Promise<boolean> {
    return this.#serial(async () => {
      const job = await this.ports.repository.job(status.job_id);
      if (!job || job.deviceId !== deviceId) return false;
      const next = applyJobStatus(job, status, now);
      if (!next) return false;
      await this.ports.repository.upsertJobs([next]);
      this.#changed(job.rolloutId);
      return true;
    });
  }

  /** A boot message: a rollback from a rollout's version marks that job rolled-back, once. */
  onBoot(deviceId: string, boot: Boot, now: number): Promise<boolean> {
    if (!boot.rolled_back || boot.previous_version === undefined) return Promise.resolve(false);
    return this.#serial(async () => {
      for (const job of await this.ports.repository.jobsOfDevice(deviceId)) {
        const rollout = await this.ports.repository.get(job.rolloutId);
        if (!rollout) continue;
        const next = applyRollbackBoot(job, rollout.targetVersion, boot, now);
        if (!next) continue;
        await this.ports.repository.upsertJobs([next]);
        this.options.onRollback?.(rollout.targetVersion);
        this.#changed(job.rolloutId);
        return true;
      }
      return false;
    });
  }

  /** Resumes a halted rollout; health is judged afresh from now, so the same data cannot halt it. */
  release(rolloutId: string, now: number, by: string): Promise<RolloutRecord> {
    // A stage that started in the future started before the clock went back (clock-step.ts).
    return this.#change(rolloutId, ['halted'], async (r) =>
      this.#save(
        { ...r, healthFrom: now, stageStartedAt: Math.min(r.stageStartedAt, now) },
        'running',
        now,
        by,
        undefined,
        { haltReason: null, haltedHealth: null },
      ),
    );
  }

  /** Stops sending; devices already updated stay updated. */
  abort(rolloutId: string, now: number, by: string): Promise<RolloutRecord> {
    return this.#change(rolloutId, ['running', 'halted'], (r) => this.#save(r, 'aborted', now, by));
  }

  /** Leaves a store's devices out of a rollout (jobs already sent stay sent). */
  optOut(rolloutId: string, storeId: string, now: number, by: string): Promise<RolloutRecord> {
    return this.#change(rolloutId, ['running', 'halted'], async (r) => {
      if (r.optOuts.some((o) => o.storeId === storeId)) return r;
      const next = withAction(
        { ...r, optOuts: [...r.optOuts, { storeId, at: now, by }], updatedAt: now },
        'opt-out',
        now,
        by,
        storeId,
      );
      await this.ports.repository.update(next);
      return next;
    });
  }

  async status(rolloutId: string, now: number): Promise<RolloutStatus> {
    const rollout = await this.#get(rolloutId);
    return rolloutStatus(rollout, await this.ports.repository.jobsOf(rolloutId), now);
  }

  /** Newest first. */
  list(filter?: { readonly states?: readonly RolloutState[] }): Promise<RolloutRecord[]> {
    return this.ports.repository.list(filter);
  }

  /** Checks and stores a store's maintenance windows ('HH:MM-HH:MM', local time). */
  async setMaintenanceWindows(
    storeId: string,
    windows: readonly string[],
    change: { readonly by: string; readonly at: number },
  ): Promise<void> {
    parseWindows(windows);
    await this.ports.calendar.setWindows(storeId, windows, change);
  }

  /**
   * Checks and stores a store's opening hours (one list of 'HH:MM-HH:MM' per weekday, local time;
   * null forgets them) and, when given, its IANA time zone.
   */
  async setOpeningHours(
    storeId: string,
    hours: OpeningHours | null,
    timezone: string | undefined,
    change: { readonly by: string; readonly at: number },
  ): Promise<void> {
    if (timezone !== undefined) localMinutes(change.at, timezone);
    const checked = hours === null ? null : normaliseOpeningHours(hours);
    await this.ports.calendar.setOpeningHours(storeId, checked, timezone, change);
  }

  /** Stores' zones, windows and opening hours, as the calendar has them. */
  storeSchedules(storeIds: readonly string[]): Promise<StoreSchedule[]> {
    return this.ports.calendar.schedules(storeIds);
  }

  async #get(rolloutId: string): Promise<RolloutRecord> {
    const rollout = await this.ports.repository.get(rolloutId);
    if (!rollout) throw rolloutFailure('unknown-rollout', `no rollout ${rolloutId}`);
    return rollout;
  }

  #change(
    rolloutId: string,
    from: readonly RolloutState[],
    change: (r: RolloutRecord) => Promise<RolloutRecord>,
  ): Promise<RolloutRecord> {
    return this.#serial(async () => {
      const rollout = await this.#get(rolloutId);
      if (!from.includes(rollout.state)) {
        throw rolloutFailure('rollout-state', `rollout ${rolloutId} is ${rollout.state}`);
      }
      const changed = await change(rollout);
      this.#changed(rolloutId);
      return changed;
    });
  }

  #changed(rolloutId: string): void {
    try {
      this.options.onChanged?.(rolloutId);
    } catch {
      // A listener's trouble is not the rollout's.
    }
  }

  async #save(
    rollout: RolloutRecord,
    state: RolloutState,
    now: number,
    by: string,
    detail?: string,
    extra: Partial<RolloutRecord> = {},
  ): Promise<RolloutRecord> {
    const action = ACTION_OF[state];
    const next = withAction(
      { ...rollout, ...extra, state, updatedAt: now },
      action,
      now,
      by,
      detail,
    );
    await this.ports.repository.update(next);
    return next;
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

interface SendDue {
  readonly rollout: RolloutRecord;
  readonly jobs: RolloutJobRecord[];
  readonly before: Map<string, RolloutJobRecord>;
}

const ACTION_OF = {
  running: 'release',
  halted: 'halt',
  aborted: 'abort',
  completed: 'complete',
} as const;
