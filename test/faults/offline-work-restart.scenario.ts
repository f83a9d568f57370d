// Issue 20: commands, shadow changes and OTA jobs addressed to devices that are offline survive a
// SIGKILL of the platform and reach each device once when it reconnects (decision 051).
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COLDCHAIN_FIRMWARE } from '../../src/device/coldchain/coldchain-sensor.js';
import { createRollout, faultFleet, sensorImage } from './domain/fleet-setup.js';
import { portsOf, startPlatformChild, until, type PlatformChild } from './domain/platform-child.js';
import { recordingSensors, type RecordingSensors } from './domain/recording-sensors.js';
import type { FaultReport, FaultScenario, ScenarioContext } from './scenario.js';

const BUILT = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

interface Owed {
  readonly deviceId: string;
  readonly commands: string[];
  readonly expiring: string;
  readonly version: number;
}

export const offlineWorkRestart: FaultScenario = {
  name: 'offline-work-restart',
  title: 'Commands, shadow changes and OTA jobs for offline devices across a SIGKILL',
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
  // The canary cohort is 10 devices: every sensor gets its job in the first tick.
  const devices = context.scale === 'quick' ? 4 : 10;
  const perDevice = context.scale === 'quick' ? 3 : 20;
  const fleet = await faultFleet(context.workDir, 'CC-OW', devices);
  const files = await sensorImage(fleet.data, '1.4.0');
  const logFile = join(context.workDir, 'platform.log');
  let platform: PlatformChild | undefined;
  let sensors: RecordingSensors | undefined;
  try {
    platform = await startPlatformChild(fleet.data, logFile, {
      extraArgs: ['--ota-tick-s', '1'],
      signal: context.signal,
    });
    const first = platform;
    sensors = await recordingSensors(fleet.data, fleet.deviceDirs, first);
    await sensors.powerOn();
    for (const id of fleet.deviceIds) {
      await until(async () => {
        const got = await first.api('GET', `/v1/devices/${id}`);
        return got.body['firmwareVersion'] === COLDCHAIN_FIRMWARE ? true : undefined;
      }, `${id} registered with its firmware`);
    }
    await sensors.powerOff();
    const offlineFrom = sensors.deliveries.length;
    context.log(
      `${devices} sensors offline; sending ${perDevice} commands each, a shadow change and a rollout`,
    );

    const owed: Owed[] = [];
    const send = async (id: string, timeoutS: number) => {
      const sent = await first.api('POST', `/v1/devices/${id}/commands`, {
        name: 'ping',
        timeout_s: timeoutS,
      });
      if (sent.status !== 202) throw new Error(`command refused: ${JSON.stringify(sent.body)}`);
      return String(sent.body['commandId']);
    };
    for (const [i, id] of fleet.deviceIds.entries()) {
      const commands: string[] = [];
      for (let k = 0; k < perDevice; k++) commands.push(await send(id, 86_400));
      const expiring = await send(id, 1);
      const shadow = await first.api('PATCH', `/v1/devices/${id}/shadow`, {
        desired: { report_interval_s: 60 + i },
      });
      if (shadow.status !== 200) throw new Error(`shadow refused: ${JSON.stringify(shadow.body)}`);
      owed.push({
        deviceId: id,
        commands,
        expiring,
        version: Number(shadow.body['desiredVersion']),
      });
    }
    const rolloutId = await createRollout(fleet.data, files);
    await until(async () => {
      const status = await first.api('GET', `/v1/ota/rollouts/${rolloutId}`);
      const totals = status.body['totals'] as { sent: number } | undefined;
      return totals?.sent === devices ? true : undefined;
    }, 'every job recorded as sent');

    context.log(`SIGKILL of the platform (pid ${first.pid})`);
    await first.kill();
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the 1 s commands expire
    const restartFrom = Date.now();
    platform = await startPlatformChild(fleet.data, logFile, {
      ports: portsOf(first),
      extraArgs: ['--ota-tick-s', '1'],
      signal: context.signal,
    });
    const second = platform;
    const restartMs = Date.now() - restartFrom;
    context.log(`restarted in ${restartMs} ms; the sensors come back`);
    const backFrom = Date.now();
    await sensors.powerOn();
    const settled = await until(
      async () => {
        for (const o of owed) {
          for (const c of o.commands) {
            const got = await second.api('GET', `/v1/commands/${c}`);
            if (got.body['status'] === 'pending') return undefined;
          }
          const shadow = await second.api('GET', `/v1/devices/${o.deviceId}/shadow`);
          if (shadow.body['reportedDesiredVersion'] !== o.version) return undefined;
        }
        const status = await second.api('GET', `/v1/ota/rollouts/${rolloutId}`);
        const totals = status.body['totals'] as { sent: number; onNewVersion: number };
        return totals.sent === 0 ? Date.now() : undefined;
      },
      'every command answered, shadow applied and job finished',
      context.scale === 'quick' ? 60_000 : 180_000,
    ).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // late duplicates would show now
    return await judge(
      context,
      { owed, sensors, second, rolloutId, offlineFrom },
      {
        durationMs: Date.now() - started,
        figures: {
          devices,
          commandsPerDevice: perDevice,
          restartMs,
          deliveredWithinMs: settled === undefined ? 'not settled' : settled - backFrom,
        },
      },
    );
  } finally {
    await sensors?.powerOff().catch(() => undefined);
    await platform?.stop();
  }
}

async function judge(
  context: ScenarioContext,
  world: {
    readonly owed: readonly Owed[];
    readonly sensors: RecordingSensors;
    readonly second: PlatformChild;
    readonly rolloutId: string;
    readonly offlineFrom: number;
  },
  extra: Pick<FaultReport, 'durationMs' | 'figures'>,
): Promise<FaultReport> {
  const after = world.sensors.deliveries.slice(world.offlineFrom);
  const count = (deviceId: string, what: string) =>
    after.filter((d) => d.deviceId === deviceId && d.what === what).length;
  const firstBack = (deviceId: string) => after.find((d) => d.deviceId === deviceId)?.connection;
  let acknowledged = 0;
  let stored = 0;
  let duplicated = 0;
  let expiredDelivered = 0;
  let badOutcomes = 0;
  const tally = (n: number) => {
    acknowledged++;
    if (n > 0) stored++;
    duplicated += Math.max(0, n - 1);
  };
  for (const o of world.owed) {
    for (const c of o.commands) {
      tally(count(o.deviceId, `command ${c}`));
      const answers = world.sensors.created.filter(
        (m) => m.type === 'command-response' && m.command_id === c,
      );
      duplicated += Math.max(0, answers.length - 1);
      const ledger = await world.second.api('GET', `/v1/commands/${c}`);
      if (ledger.body['status'] !== 'succeeded' || ledger.body['attempts'] !== 1) badOutcomes++;
    }
    expiredDelivered += count(o.deviceId, `command ${o.expiring}`);
    const back = firstBack(o.deviceId);
    tally(
      after.filter(
        (d) =>
          d.deviceId === o.deviceId && d.connection === back && d.what === `desired ${o.version}`,
      ).length,
    );
    // Its only job: the one rollout's (the sensors learn its id only by receiving it).
    tally(after.filter((d) => d.deviceId === o.deviceId && d.what.startsWith('job ')).length);
  }
  const expiredSettled = await Promise.all(
    world.owed.map(async (o) => {
      const got = await world.second.api('GET', `/v1/commands/${o.expiring}`);
      return got.body['code'] === 'timeout' || got.body['status'] === 'pending';
    }),
  );
  const status = await world.second.api('GET', `/v1/ota/rollouts/${world.rolloutId}`);
  const totals = status.body['totals'] as Record<string, number>;
  context.log(`delivered ${stored} of ${acknowledged}, ${duplicated} duplicated`);
  return {
    scenario: offlineWorkRestart.name,
    fault:
      'SIGKILL of the platform while commands, shadow changes and OTA jobs waited for offline sensors; restarted on the same data directory, then the sensors reconnected',
    acknowledged,
    stored,
    lost: acknowledged - stored,
    duplicated,
    checks: [
      {
        what: 'no expired command was delivered',
        ok: expiredDelivered === 0,
        ...(expiredDelivered > 0 ? { detail: `${expiredDelivered} delivered` } : {}),
      },
      {
        what: 'the ledger holds one success per command, on its first attempt',
        ok: badOutcomes === 0,
        ...(badOutcomes > 0 ? { detail: `${badOutcomes} commands not succeeded once` } : {}),
      },
      {
        what: 'expired commands are settled as timeout (or not yet swept), never answered',
        ok: expiredSettled.every(Boolean),
      },
      {
        what: 'every job of the rollout was acknowledged by its sensor',
        ok: totals['sent'] === 0,
        detail: JSON.stringify(totals),
      },
    ],
    ...extra,
  };
}
