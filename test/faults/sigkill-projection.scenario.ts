// SIGKILL of the platform while its entity projection is behind the telemetry store: events
// stored (and acknowledged) but not yet applied to the entity store. After the restart the
// projector must find them in the telemetry store and apply each exactly once: every session,
// scan and session end the carts were told was taken is in the entity store, none twice.
import { compareWithLedger, readStoredTelemetry } from './harness/stored-telemetry.js';
import { shoppingTrips, type PlannedTrip } from './harness/message-plans.js';
import { killPoints } from './harness/kill-points.js';
import { LedgerLoad } from './harness/ledger-load.js';
import { projectionProgress } from './harness/projection-progress.js';
import { compareProjection } from './harness/stored-sessions.js';
import { errorsLogged } from './harness/platform-process.js';
import { ms, platformUnavailable, scenarioPlatform } from './harness/scenario-setup.js';
import { stoppedCleanly, lostSample } from './harness/common-checks.js';
import type { FaultReport, FaultScenario } from './scenario.js';

const SCALES = {
  quick: { devices: 6, trips: 4, scans: 10, kills: 1, rate: 200 },
  full: { devices: 20, trips: 12, scans: 20, kills: 3, rate: 500 },
} as const;

/** Kill only once the projection is at least this many events behind. */
const MIN_LAG = 5;

export const sigkillProjection: FaultScenario = {
  name: 'sigkill-projection',
  title: 'SIGKILL of the platform while the entity projection is behind',
  unavailable: () => Promise.resolve(platformUnavailable()),
  async run(context): Promise<FaultReport> {
    const began = performance.now();
    const scale = SCALES[context.scale];
    const seed = Number(process.env['FAULT_SEED'] ?? Math.floor(Math.random() * 1e9));
    const { fleet, platform } = await scenarioPlatform(context, scale.devices);
    const trips: PlannedTrip[] = [];
    try {
      await platform.start();
      context.log(`platform started in ${ms(platform.startMs[0]!)} ms`);
      const load = LedgerLoad.start({
        url: () => platform.mqttUrl,
        devices: fleet.devices,
        plan: (device) => {
          const plan = shoppingTrips(device.deviceId, scale.trips, scale.scans);
          trips.push(...plan.trips);
          return plan.messages;
        },
        // One at a time per cart, as a cart reports a trip: in order.
        window: 1,
        ratePerSecond: scale.rate,
      });
      const lagsAtKill: number[] = [];
      for (const point of killPoints(seed, scale.kills, load.total)) {
        await load.reached(point);
        // Wait (briefly) for a moment the projection is behind; the lag is measured, not assumed.
        let lag = 0;
        const until = Date.now() + 10_000;
        while (Date.now() < until) {
          const progress = projectionProgress(fleet.dataDir);
          lag = progress ? progress.stored - progress.projected : 0;
          if (lag >= MIN_LAG) break;
          await new Promise((r) => setTimeout(r, 5));
        }
        await platform.kill();
        lagsAtKill.push(lag);
        context.log(`SIGKILL with the projection ${lag} events behind; restarting`);
        await platform.start();
      }
      let finished = true;
      await load.finished(60_000 + load.total * 20).catch((error: unknown) => {
        finished = false;
        context.log(String(error));
      });
      await load.stop();
      // The clean stop does not wait for projection: let it catch up first, then stop.
      let caughtUp = false;
      const until = Date.now() + 60_000;
      while (Date.now() < until) {
        const progress = projectionProgress(fleet.dataDir);
        if (progress && progress.projected >= progress.stored) {
          caughtUp = true;
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      const exit = await platform.stop();
      const errors = errorsLogged(await platform.logLines());
      const telemetry = compareWithLedger(load.ledger, readStoredTelemetry(fleet.dataDir));
      context.log('reading the entity store');
      const projected = await compareProjection(fleet.dataDir, load.ledger, trips);
      const { ledger } = load;
      return {
        scenario: 'sigkill-projection',
        fault: `SIGKILL of the platform ${scale.kills} time(s) while the entity projection was ${lagsAtKill.join(', ')} events behind the telemetry store (seed ${seed}); restarted on the same data directory`,
        acknowledged: projected.acknowledged,
        stored: projected.stored,
        lost: projected.lost,
        duplicated: projected.duplicated,
        checks: [
          {
            what: `the projection was at least ${MIN_LAG} events behind at every kill`,
            ok: lagsAtKill.every((lag) => lag >= MIN_LAG),
            detail: `behind by ${lagsAtKill.join(', ')}`,
          },
          {
            what: 'every planned message was acknowledged in the end',
            ok: finished && ledger.count === load.total,
            detail: `${ledger.count} of ${load.total}`,
          },
          {
            what: 'the telemetry store holds every acknowledged message once',
            ok: telemetry.lost === 0 && telemetry.duplicated === 0,
            detail: `${telemetry.stored} of ${telemetry.acknowledged} stored, ${telemetry.duplicated} duplicated`,
          },
          {
            what: 'the projection caught up with the telemetry store after the last restart',
            ok: caughtUp,
          },
          {
            what: "each session's scan count and subtotal agree with its scan rows",
            ok: projected.mismatches.length === 0,
            detail: projected.mismatches.slice(0, 3).join('; ') || `${projected.sessions} sessions`,
          },
          stoppedCleanly(exit),
          ...lostSample(projected.lostSample, 'events'),
        ],
        figures: {
          devices: scale.devices,
          trips: trips.length,
          planned: load.total,
          kills: scale.kills,
          seed,
          lag_at_kill: lagsAtKill.join(', '),
          sessions: projected.sessions,
          scan_rows: projected.scans,
          unanswered_publishes: ledger.unanswered,
          resent: ledger.resent,
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
