// Issue 20: SIGKILL of the platform during a rollout tick (while a stage's jobs go out), restart:
// no stage skipped or repeated, each device installs its job once, and the rollout goes on to
// complete (or halts for a reason it states).
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JobStatus } from '../../src/contract/index.js';
import { COLDCHAIN_FIRMWARE } from '../../src/device/coldchain/coldchain-sensor.js';
import { createFastRollout, faultFleet, sensorImage } from './domain/fleet-setup.js';
import { portsOf, startPlatformChild, until, type PlatformChild } from './domain/platform-child.js';
import { recordingSensors, type RecordingSensors } from './domain/recording-sensors.js';
import type { FaultReport, FaultScenario, ScenarioContext } from './scenario.js';

const BUILT = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const STAGES = ['canary', 'early', '10%', '25%', '100%'];

interface RolloutView {
  readonly state: string;
  readonly stage: { readonly index: number; readonly name: string };
  readonly totals: Record<string, number>;
  readonly haltReason: string | null;
  readonly history: readonly { readonly action: string; readonly detail?: string | null }[];
}

export const sigkillRollout: FaultScenario = {
  name: 'sigkill-rollout',
  title: 'SIGKILL of the platform during a rollout tick',
  async unavailable() {
    return access(BUILT).then(
      () => undefined,
      () => 'the platform is not built (npm run build)',
    );
  },
  run,
};

async function run(context: ScenarioContext): Promise<FaultReport> {
  const started = Date.now();
  const quick = context.scale === 'quick';
  // quick: killed while the canary's jobs go out, judged once the canary has installed; full:
  // killed while a later stage's jobs go out, judged when the rollout has finished.
  const devices = quick ? 6 : 20;
  const canary = 2;
  const fleet = await faultFleet(context.workDir, 'CC-RO', devices);
  const files = await sensorImage(fleet.data, '1.4.0');
  const logFile = join(context.workDir, 'platform.log');
  const args = ['--ota-tick-s', '1'];
  let platform: PlatformChild | undefined;
  let sensors: RecordingSensors | undefined;
  try {
    platform = await startPlatformChild(fleet.data, logFile, {
      extraArgs: args,
      signal: context.signal,
    });
    const first = platform;
    sensors = await recordingSensors(fleet.data, fleet.deviceDirs, first);
    const fleetOf = sensors;
    await fleetOf.powerOn();
    for (const id of fleet.deviceIds) {
      await until(async () => {
        const got = await first.api('GET', `/v1/devices/${id}`);
        return got.body['firmwareVersion'] === COLDCHAIN_FIRMWARE ? true : undefined;
      }, `${id} registered with its firmware`);
    }
    const rolloutId = await createFastRollout(fleet.data, files, {
      canarySize: canary,
      stageHours: 0.001,
    });
    const view = async (p: PlatformChild) =>
      (await p.api('GET', `/v1/ota/rollouts/${rolloutId}`)).body as unknown as RolloutView;
    const jobsSeen = () => fleetOf.deliveries.filter((d) => d.what.startsWith('job ')).length;
    // The tick that sends the chosen stage's jobs: the first job of it reaching a sensor.
    const killAt = quick ? 1 : canary + 1;
    context.log(`rollout ${rolloutId}: SIGKILL when job ${killAt} reaches a sensor`);
    await until(() => (jobsSeen() >= killAt ? true : undefined), 'a tick sending jobs', 300_000);
    await first.kill();
    const atKill = { jobs: jobsSeen() };
    context.log(`SIGKILL of the platform (pid ${first.pid}) with ${atKill.jobs} jobs delivered`);
    const restartFrom = Date.now();
    platform = await startPlatformChild(fleet.data, logFile, {
      ports: portsOf(first),
      extraArgs: args,
      signal: context.signal,
    });
    const second = platform;
    const restartMs = Date.now() - restartFrom;
    let last: RolloutView | undefined;
    const finished = await until(
      async () => {
        const v = (last = await view(second));
        if (v.state === 'halted' || v.state === 'completed' || v.state === 'aborted') return v;
        const settled = finalJobs(v.totals);
        return quick && v.totals['sent'] === 0 && settled >= canary ? v : undefined;
      },
      quick ? 'the canary installed' : 'the rollout finished',
      quick ? 90_000 : 900_000,
    ).catch((error: unknown) => {
      const statuses = fleetOf.created
        .filter((m) => m.type === 'job-status' || m.type === 'boot')
        .map((m) => `${m.device_id} ${m.type} ${'status' in m ? String(m.status) : ''}`);
      throw new Error(
        `${String(error)}: ${JSON.stringify(last?.totals)} ${last?.state}; ${statuses.join(', ')}`,
      );
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // late duplicates would show now
    return judge(fleetOf, finished, {
      durationMs: Date.now() - started,
      figures: { devices, canary, jobsDeliveredAtKill: atKill.jobs, restartMs },
    });
  } finally {
    await sensors?.powerOff().catch(() => undefined);
    await platform?.stop();
  }
}

/** Jobs that reached an end: installed (or already current), rolled back, failed, rejected, timed out. */
function finalJobs(totals: Record<string, number>): number {
  return ['onNewVersion', 'rolledBack', 'failed', 'rejected', 'timedOut']
    .map((k) => totals[k] ?? 0)
    .reduce((a, b) => a + b, 0);
}

function judge(
  sensors: RecordingSensors,
  rollout: RolloutView,
  extra: Pick<FaultReport, 'durationMs' | 'figures'>,
): FaultReport {
  const statuses = sensors.created.filter((m): m is JobStatus => m.type === 'job-status');
  const installs = new Map<string, number>();
  for (const s of statuses.filter((s) => s.status === 'installing')) {
    installs.set(s.device_id, (installs.get(s.device_id) ?? 0) + 1);
  }
  const jobsByDevice = new Map<string, Set<string>>();
  for (const d of sensors.deliveries.filter((d) => d.what.startsWith('job '))) {
    const ids = jobsByDevice.get(d.deviceId) ?? new Set<string>();
    ids.add(d.what);
    jobsByDevice.set(d.deviceId, ids);
  }
  const deliveries = sensors.deliveries.filter((d) => d.what.startsWith('job ')).length;
  // Acknowledged: every job the platform recorded as sent; stored: those that reached their
  // device. Duplicated: a device that ran its job's install more than once.
  const acknowledged = (rollout.totals['sent'] ?? 0) + finalJobs(rollout.totals);
  const stored = jobsByDevice.size;
  const failed = statuses.filter((s) => s.status === 'failed' || s.status === 'rejected');
  const duplicated = [...installs.values()].reduce((sum, n) => sum + n - 1, 0);
  const advances = rollout.history.filter((h) => h.action === 'advance').length;
  const completed = rollout.history.filter((h) => h.action === 'complete').length;
  const stageIndex = STAGES.indexOf(rollout.stage.name);
  return {
    scenario: sigkillRollout.name,
    fault:
      'SIGKILL of the platform during the rollout tick that sends a stage its jobs; restarted on the same data directory',
    acknowledged,
    stored,
    lost: Math.max(0, acknowledged - stored),
    duplicated,
    checks: [
      {
        what: 'each device was sent one job id',
        ok: [...jobsByDevice.values()].every((ids) => ids.size === 1),
      },
      {
        what: 'no stage skipped or repeated: one advance per stage reached, in order',
        ok: advances === stageIndex && completed <= 1 && (completed === 0 || stageIndex === 4),
        detail: `stage ${rollout.stage.name}, ${advances} advances, ${completed} completions`,
      },
      {
        what: 'no job failed because the platform was away (server-time, download)',
        ok: !failed.some((s) => s.reason === 'server-time' || s.reason === 'download'),
      },
      {
        what: 'the rollout runs or completed; a halt states its reason',
        ok: rollout.state !== 'halted' ? rollout.state !== 'aborted' : !!rollout.haltReason,
        detail: `${rollout.state}${rollout.haltReason ? `: ${rollout.haltReason}` : ''}`,
      },
    ],
    figures: {
      ...extra.figures,
      jobDeliveries: deliveries,
      installs: [...installs.values()].reduce((a, b) => a + b, 0),
      jobsFailedOnDevice:
        failed.map((s) => `${s.device_id}:${s.reason ?? s.status}`).join(' ') || 0,
      state: rollout.state,
    },
    durationMs: extra.durationMs,
  };
}
