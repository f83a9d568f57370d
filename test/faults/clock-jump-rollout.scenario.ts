// Issue 20: the platform host's clock jumps an hour forward while a rollout's canary takes its
// jobs, and back an hour later in the rollout (full: after the canary advanced on the clock that
// was ahead; quick: before). The platform runs as `fleetplane start` in a child process under
// libfaketime (engines/faked-clock.ts); the sensors keep the real clock. Judged: no false halt, no
// stage skipped, cut short or stalled, no job re-sent or timed out and no device counted silent
// because of the jump, each device installs once, and the rollout completes (quick: advances
// after the clock went back).
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JobStatus } from '../../src/contract/index.js';
import { COLDCHAIN_FIRMWARE } from '../../src/device/coldchain/coldchain-sensor.js';
import { createFastRollout, faultFleet, sensorImage } from './domain/fleet-setup.js';
import { startPlatformChild, until, type PlatformChild } from './domain/platform-child.js';
import { recordingSensors, type RecordingSensors } from './domain/recording-sensors.js';
import { fakedClock, libfaketime } from './engines/faked-clock.js';
import type { FaultReport, FaultScenario, ScenarioContext } from './scenario.js';

const BUILT = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const HOUR = 3600_000;
/** The fast rollout's health window (its minimum, 1 minute): every stage lasts at least this. */
const WINDOW_MS = 60_000;
const STAGES = ['canary', 'early', '10%', '25%', '100%'];

interface RolloutView {
  readonly state: string;
  readonly stage: { readonly index: number; readonly name: string };
  readonly totals: Record<string, number>;
  readonly haltReason: string | null;
  readonly lastHealth: { readonly silentDevices?: number } | null;
  readonly history: readonly { readonly action: string }[];
}

export const clockJumpRollout: FaultScenario = {
  name: 'clock-jump-rollout',
  title: "The platform host's clock jumps an hour forward and back during an OTA rollout",
  async unavailable() {
    if (!libfaketime()) return 'libfaketime missing (apt-get install faketime)';
    return access(BUILT).then(
      () => undefined,
      () => 'the platform is not built (npm run build)',
    );
  },
  run,
};

/** Jobs that reached an end: installed (or already current), rolled back, failed, rejected, timed out. */
function finalJobs(totals: Record<string, number>): number {
  return ['onNewVersion', 'rolledBack', 'failed', 'rejected', 'timedOut']
    .map((k) => totals[k] ?? 0)
    .reduce((a, b) => a + b, 0);
}

async function run(context: ScenarioContext): Promise<FaultReport> {
  const started = Date.now();
  const quick = context.scale === 'quick';
  const devices = quick ? 6 : 20;
  const canary = 2;
  const fleet = await faultFleet(context.workDir, 'CC-CJ', devices);
  const files = await sensorImage(fleet.data, '1.4.0');
  const clock = await fakedClock(context.workDir);
  const logFile = join(context.workDir, 'platform.log');
  let platform: PlatformChild | undefined;
  let sensors: RecordingSensors | undefined;
  let watching = true;
  let watch: Promise<void> | undefined;
  try {
    platform = await startPlatformChild(fleet.data, logFile, {
      extraArgs: ['--ota-tick-s', '1'],
      env: clock.env,
      signal: context.signal,
    });
    const child = platform;
    sensors = await recordingSensors(fleet.data, fleet.deviceDirs, child);
    const fleetOf = sensors;
    await fleetOf.powerOn();
    for (const id of fleet.deviceIds) {
      await until(async () => {
        const got = await child.api('GET', `/v1/devices/${id}`);
        return got.body['firmwareVersion'] === COLDCHAIN_FIRMWARE ? true : undefined;
      }, `${id} registered with its firmware`);
    }
    const rolloutId = await createFastRollout(fleet.data, files, {
      canarySize: canary,
      stageHours: 0.001,
    });
    // The real time each stage was first seen, polled beside the run: what a stage's soak lasted
    // by a clock that did not jump.
    const stageSeenAt = [Date.now()];
    const view = async () =>
      (await child.api('GET', `/v1/ota/rollouts/${rolloutId}`)).body as unknown as RolloutView;
    watch = (async () => {
      while (watching) {
        const index = (await view().catch(() => undefined))?.stage.index ?? -1;
        while (stageSeenAt.length <= index) stageSeenAt.push(Date.now());
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    const jobsSeen = () => fleetOf.deliveries.filter((d) => d.what.startsWith('job ')).length;

    await until(() => (jobsSeen() >= 1 ? true : undefined), 'a canary job at a sensor', 120_000);
    context.log(`rollout ${rolloutId}: clock +1 h as the canary's jobs go out`);
    await clock.jumpTo(HOUR);
    const aheadAt = Date.now();
    // quick: the canary installs on the clock that is ahead, and a few ticks judge it there;
    // full: ahead until the canary has advanced, so the next stage starts on that clock.
    if (quick) {
      await until(
        async () => (finalJobs((await view()).totals) >= canary ? true : undefined),
        'the canary installed',
        90_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    } else {
      await until(
        async () => ((await view()).stage.index >= 1 ? true : undefined),
        'the canary advanced',
        180_000,
      );
    }
    const stageAhead = (await view()).stage.index;
    context.log(`clock back to the real time, in stage ${STAGES[stageAhead]}`);
    await clock.jumpTo(0);
    const backAt = Date.now();
    const finished = (v: RolloutView) =>
      v.state !== 'running' || (quick && v.stage.index > stageAhead);
    // A rollout stalled by the jump is judged as it stands, not thrown away.
    await until(
      async () => (finished(await view()) ? true : undefined),
      quick ? 'an advance after the clock went back' : 'the rollout finished',
      quick ? 150_000 : 900_000,
    ).catch((error: unknown) => context.log(String(error)));
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // late duplicates would show now
    const final = await view();
    return judge(fleetOf, final, stageSeenAt, {
      quick,
      stageAhead,
      durationMs: Date.now() - started,
      figures: {
        devices,
        canary,
        jumpMs: HOUR,
        stageWhenAhead: STAGES[0]!,
        stageWhenBack: STAGES[stageAhead]!,
        aheadForS: Math.round((backAt - aheadAt) / 1000),
      },
    });
  } finally {
    watching = false;
    await watch;
    await sensors?.powerOff().catch(() => undefined);
    await platform?.stop();
  }
}

function judge(
  sensors: RecordingSensors,
  rollout: RolloutView,
  stageSeenAt: readonly number[],
  extra: { readonly quick: boolean; readonly stageAhead: number } & Pick<
    FaultReport,
    'durationMs' | 'figures'
  >,
): FaultReport {
  const statuses = sensors.created.filter((m): m is JobStatus => m.type === 'job-status');
  const count = (status: string) => {
    const per = new Map<string, number>();
    for (const s of statuses.filter((s) => s.status === status)) {
      per.set(s.device_id, (per.get(s.device_id) ?? 0) + 1);
    }
    return per;
  };
  const installs = count('installing');
  const succeeded = count('succeeded');
  const jobs = sensors.deliveries.filter((d) => d.what.startsWith('job '));
  const deliveries = new Map<string, number>();
  for (const d of jobs) deliveries.set(d.deviceId, (deliveries.get(d.deviceId) ?? 0) + 1);
  const failed = statuses.filter((s) => s.status === 'failed' || s.status === 'rejected');
  const advances = rollout.history.filter((h) => h.action === 'advance').length;
  const completed = rollout.history.filter((h) => h.action === 'complete').length;
  const soaksS = stageSeenAt.slice(1).map((at, i) => (at - stageSeenAt[i]!) / 1000);
  const minSoakS = Math.min(...soaksS);
  const silent = rollout.lastHealth?.silentDevices ?? 0;
  const resent = [...deliveries.values()].reduce((sum, n) => sum + n - 1, 0);
  const duplicated = [...installs.values()].reduce((sum, n) => sum + n - 1, 0);
  const acknowledged = (rollout.totals['sent'] ?? 0) + finalJobs(rollout.totals);
  const stored = deliveries.size;
  const goal = extra.quick ? 'advanced after the clock went back' : 'completed';
  return {
    scenario: clockJumpRollout.name,
    fault:
      'host clock of the platform jumped +1 h as the canary took its jobs, and back to real time later in the rollout (libfaketime)',
    acknowledged,
    stored,
    lost: Math.max(0, acknowledged - stored),
    duplicated,
    checks: [
      {
        what: `the rollout ${goal}, never halted`,
        ok: extra.quick
          ? rollout.state === 'running' && rollout.stage.index > extra.stageAhead
          : rollout.state === 'completed',
        detail: `${rollout.state} in stage ${rollout.stage.name}${rollout.haltReason ? `: ${rollout.haltReason}` : ''}`,
      },
      {
        what: 'no stage skipped or repeated: one advance per stage reached, in order',
        ok:
          advances === STAGES.indexOf(rollout.stage.name) &&
          completed === (rollout.state === 'completed' ? 1 : 0),
        detail: `stage ${rollout.stage.name}, ${advances} advances, ${completed} completions`,
      },
      {
        what: 'every stage lasted a full health window of real time (the jump forward did not cut one short)',
        ok: soaksS.length > 0 && minSoakS >= (0.9 * WINDOW_MS) / 1000,
        detail: `stages lasted ${soaksS.map((s) => s.toFixed(0)).join(', ')} s`,
      },
      {
        what: 'each device was sent its job once: none re-sent as timed out because of the jump',
        ok: resent === 0 && (rollout.totals['timedOut'] ?? 0) === 0,
        detail: `${resent} re-sent, ${rollout.totals['timedOut'] ?? 0} timed out`,
      },
      {
        what: 'each device that took the job installed it once and reported success',
        ok:
          duplicated === 0 &&
          installs.size === deliveries.size &&
          [...deliveries.keys()].every((id) => succeeded.get(id) === 1),
        detail: `${installs.size} installed, ${succeeded.size} succeeded, of ${deliveries.size} sent`,
      },
      {
        what: 'no device counted silent (an error of the new version) because of the jump',
        ok: silent === 0,
        detail: `${silent} silent`,
      },
      {
        what: 'no job failed on its device (an expired download URL, the server time)',
        ok: failed.length === 0,
        detail: failed.map((s) => `${s.device_id}:${s.reason ?? s.status}`).join(' ') || 'none',
      },
    ],
    figures: {
      ...extra.figures,
      state: rollout.state,
      stage: rollout.stage.name,
      advances,
      jobDeliveries: jobs.length,
      installs: [...installs.values()].reduce((a, b) => a + b, 0),
      duplicateInstalls: duplicated,
      resent,
      silentDevices: silent,
      stageSoaksS: soaksS.map((s) => s.toFixed(0)).join(' '),
    },
    durationMs: extra.durationMs,
  };
}
