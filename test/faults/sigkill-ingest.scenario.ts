// SIGKILL of the platform in the middle of an ingest stream, several times at random points, each
// followed by a restart on the same data directory: every message a device heard a PUBACK for
// must be stored, once; the devices send again whatever was in flight and unanswered.
import { compareWithLedger, readStoredTelemetry } from './harness/stored-telemetry.js';
import { healthStream } from './harness/message-plans.js';
import { killPoints } from './harness/kill-points.js';
import { LedgerLoad } from './harness/ledger-load.js';
import { errorsLogged } from './harness/platform-process.js';
import { ms, platformUnavailable, scenarioPlatform } from './harness/scenario-setup.js';
import { nothingRefused, stoppedCleanly, lostSample } from './harness/common-checks.js';
import type { FaultReport, FaultScenario } from './scenario.js';

const SCALES = {
  quick: { devices: 6, perDevice: 60, kills: 2, rate: 150 },
  full: { devices: 20, perDevice: 400, kills: 4, rate: 600 },
} as const;

export const sigkillIngest: FaultScenario = {
  name: 'sigkill-ingest',
  title: 'SIGKILL of the platform during ingest',
  unavailable: () => Promise.resolve(platformUnavailable()),
  async run(context): Promise<FaultReport> {
    const began = performance.now();
    const scale = SCALES[context.scale];
    const seed = Number(process.env['FAULT_SEED'] ?? Math.floor(Math.random() * 1e9));
    const { fleet, platform } = await scenarioPlatform(context, scale.devices);
    try {
      await platform.start();
      context.log(`platform started in ${ms(platform.startMs[0]!)} ms`);
      const load = LedgerLoad.start({
        url: () => platform.mqttUrl,
        devices: fleet.devices,
        plan: (device) => healthStream(device.deviceId, scale.perDevice),
        window: 8,
        ratePerSecond: scale.rate,
      });
      const points = killPoints(seed, scale.kills, load.total);
      const killedAfter: number[] = [];
      for (const point of points) {
        await load.reached(point);
        killedAfter.push(load.ledger.count);
        await platform.kill();
        context.log(
          `SIGKILL after ${killedAfter.at(-1)} of ${load.total} acknowledged; restarting`,
        );
        await platform.start();
      }
      let finished = true;
      await load.finished(60_000 + load.total * 20).catch((error: unknown) => {
        finished = false;
        context.log(String(error));
      });
      await load.stop();
      const exit = await platform.stop();
      const errors = errorsLogged(await platform.logLines());
      const found = readStoredTelemetry(fleet.dataDir);
      const result = compareWithLedger(load.ledger, found);
      const { ledger } = load;
      return {
        scenario: 'sigkill-ingest',
        fault: `SIGKILL of the platform ${scale.kills} times mid-stream (after ${killedAfter.join(', ')} of ${load.total} acknowledged, seed ${seed}), restarted each time on the same data directory`,
        acknowledged: result.acknowledged,
        stored: result.stored,
        lost: result.lost,
        duplicated: result.duplicated,
        checks: [
          {
            what: 'every planned message was acknowledged in the end (the devices resent what was unanswered)',
            ok: finished && result.acknowledged === load.total,
            detail: `${result.acknowledged} of ${load.total}`,
          },
          {
            what: 'messages were in flight, unanswered, when the platform was killed',
            ok: ledger.unanswered > 0,
            detail: `${ledger.unanswered} publishes unanswered, ${ledger.resent} resent`,
          },
          nothingRefused(ledger),
          stoppedCleanly(exit),
          ...lostSample(result.lostSample),
        ],
        figures: {
          devices: scale.devices,
          planned: load.total,
          kills: scale.kills,
          seed,
          unanswered_publishes: ledger.unanswered,
          resent: ledger.resent,
          stored_not_acknowledged: result.storedUnacknowledged,
          connects: ledger.connects,
          failed_connects: ledger.failedConnects,
          restart_ms: ms(platform.startMs.slice(1)),
          // Not a check: reported so a crash's side effects elsewhere are seen (decision 049).
          errors_logged: errors,
        },
        durationMs: Math.round(performance.now() - began),
      };
    } finally {
      await platform.close();
    }
  },
};
