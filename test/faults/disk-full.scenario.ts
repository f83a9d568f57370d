// The telemetry disk full under load: the telemetry store's directory is a small tmpfs that the
// scenario fills to the last byte mid-stream, holds full, then empties. The platform must stop
// acknowledging (a PUBACK is its promise that the message is durable), say why (its log, its
// store-failure metric, and the devices hear a DISCONNECT with a reason), stay up, and take
// everything the devices resend once space returns: nothing acknowledged lost, nothing twice.
import { dirname } from 'node:path';
import { platformLayout } from '../../src/platform/platform-layout.js';
import { compareWithLedger, readStoredTelemetry } from './harness/stored-telemetry.js';
import { healthStream } from './harness/message-plans.js';
import { LedgerLoad } from './harness/ledger-load.js';
import { ms, platformUnavailable, scenarioPlatform } from './harness/scenario-setup.js';
import { SmallFilesystem, smallFilesystemUnavailable } from './harness/small-filesystem.js';
import { nothingRefused, stoppedCleanly, lostSample } from './harness/common-checks.js';
import type { FaultReport, FaultScenario } from './scenario.js';

const SCALES = {
  quick: { devices: 4, perDevice: 150, rate: 100, holdMs: 3000 },
  full: { devices: 10, perDevice: 600, rate: 300, holdMs: 10_000 },
} as const;

/** Acknowledgements stopped when none came for this long. */
const STALL_MS = 1500;
const FILESYSTEM_BYTES = 16 << 20;
const STORE_FAILURES = 'fleetplane_ingest_store_failures_total';
const STORE_WRITABLE = 'fleetplane_ingest_store_writable';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const diskFull: FaultScenario = {
  name: 'disk-full',
  title: 'The telemetry disk full under load, then space given back',
  unavailable: () => Promise.resolve(platformUnavailable() ?? smallFilesystemUnavailable()),
  async run(context): Promise<FaultReport> {
    const began = performance.now();
    const scale = SCALES[context.scale];
    const { fleet, platform } = await scenarioPlatform(context, scale.devices);
    const disk = new SmallFilesystem(
      dirname(platformLayout(fleet.dataDir).telemetryDb),
      FILESYSTEM_BYTES,
    );
    disk.mount();
    try {
      await platform.start();
      context.log(`platform started in ${ms(platform.startMs[0]!)} ms`);
      const load = LedgerLoad.start({
        url: () => platform.mqttUrl,
        devices: fleet.devices,
        plan: (device) => healthStream(device.deviceId, scale.perDevice),
        window: 4,
        ratePerSecond: scale.rate,
      });
      const { ledger } = load;
      await load.reached(Math.floor(load.total * 0.25));
      const failuresBefore = (await platform.metric(STORE_FAILURES)) ?? 0;
      const filledBytes = await disk.fill();
      const ackedAtFull = ledger.count;
      const fullAt = performance.now();
      context.log(
        `filled the telemetry filesystem (${filledBytes} bytes) at ${ackedAtFull} acknowledged`,
      );

      // What was in the WAL's already-allocated space may still commit; then nothing may.
      let last = ledger.count;
      let quietSince = performance.now();
      while (performance.now() - quietSince < STALL_MS && performance.now() - fullAt < 30_000) {
        await sleep(50);
        if (ledger.count !== last) {
          last = ledger.count;
          quietSince = performance.now();
        }
      }
      const stalled = performance.now() - quietSince >= STALL_MS;
      const stallMs = quietSince - fullAt;
      const ackedBeforeStall = ledger.count - ackedAtFull;
      const heldFrom = ledger.count;
      await sleep(scale.holdMs);
      const ackedWhileHeld = ledger.count - heldFrom;
      const aliveWhileFull = platform.running;
      const failuresWhileFull = ((await platform.metric(STORE_FAILURES)) ?? 0) - failuresBefore;
      const writableWhileFull = await platform.metric(STORE_WRITABLE);
      const disconnectsWhileFull = new Map(ledger.disconnects);
      context.log(
        `full for ${ms(performance.now() - fullAt)} ms: ${ackedWhileHeld} acknowledged while held, ${failuresWhileFull} failed batches`,
      );

      await disk.free();
      const freedAt = performance.now();
      const resumeFrom = ledger.count;
      await Promise.race([load.reached(resumeFrom + 1), sleep(30_000)]);
      const resumeMs = performance.now() - freedAt;
      const resumed = ledger.count > resumeFrom;
      context.log(`space given back; acknowledging again after ${ms(resumeMs)} ms`);
      const writableAfter = await platform.metric(STORE_WRITABLE);

      let finished = true;
      await load.finished(60_000 + load.total * 20).catch((error: unknown) => {
        finished = false;
        context.log(String(error));
      });
      await load.stop();
      const lines = await platform.logLines();
      const exit = await platform.stop();
      const result = compareWithLedger(ledger, readStoredTelemetry(fleet.dataDir));
      const said = lines.filter((l) =>
        /^telemetry store cannot write \(the disk is full\)/.test(String(l['msg'])),
      );
      const over = lines.filter((l) => /^telemetry store writes again/.test(String(l['msg'])));
      return {
        scenario: 'disk-full',
        fault: `the telemetry filesystem (tmpfs, ${FILESYSTEM_BYTES >> 20} MiB) filled to the last byte after ${ackedAtFull} of ${load.total} acknowledged, held full ${ms(scale.holdMs + stallMs)} ms, then emptied`,
        acknowledged: result.acknowledged,
        stored: result.stored,
        lost: result.lost,
        duplicated: result.duplicated,
        checks: [
          {
            what: 'acknowledgements stopped once the disk was full',
            ok: stalled && ackedWhileHeld === 0,
            detail: `${ackedBeforeStall} acknowledged in the ${ms(stallMs)} ms before they stopped, ${ackedWhileHeld} while held full`,
          },
          {
            what: 'the platform stayed up while the disk was full',
            ok: aliveWhileFull,
          },
          {
            // The first moments flap (a small batch still fits in the WAL's pages), so an outage
            // may start and end more than once; what matters is a line per outage, not per write.
            what: 'it said why: the log names the full disk in a line per outage, not per failed write, and says when it is over',
            ok:
              said.length >= 1 &&
              said.length * 10 <= failuresWhileFull &&
              over.length === said.length,
            detail: `${said.length} outage line(s) for ${failuresWhileFull} failed writes: '${String(said[0]?.['msg'] ?? '')}'; ${over.length} '${String(over.at(-1)?.['msg'] ?? '')}'`,
          },
          {
            what: `the metrics show it: ${STORE_WRITABLE} 0 while full and 1 after, ${STORE_FAILURES} rose`,
            ok: writableWhileFull === 0 && writableAfter === 1 && failuresWhileFull > 0,
            detail: `writable ${String(writableWhileFull)} then ${String(writableAfter)}, ${failuresWhileFull} failed batch writes`,
          },
          {
            what: 'devices were told by a DISCONNECT with a reason (0x89 server busy)',
            ok: (disconnectsWhileFull.get('0x89') ?? 0) > 0,
            detail: JSON.stringify(Object.fromEntries(disconnectsWhileFull)),
          },
          {
            what: 'acknowledging resumed once space returned',
            ok: resumed,
            detail: `after ${ms(resumeMs)} ms`,
          },
          {
            what: 'every planned message was acknowledged in the end',
            ok: finished && ledger.count === load.total,
            detail: `${ledger.count} of ${load.total}`,
          },
          nothingRefused(ledger),
          stoppedCleanly(exit),
          ...lostSample(result.lostSample),
        ],
        figures: {
          devices: scale.devices,
          planned: load.total,
          filesystem_bytes: FILESYSTEM_BYTES,
          filler_bytes: filledBytes,
          acknowledged_after_full: ackedBeforeStall,
          stall_ms: ms(stallMs),
          held_full_ms: scale.holdMs,
          failed_batches: failuresWhileFull,
          outage_log_lines: said.length,
          resume_ms: ms(resumeMs),
          unanswered_publishes: ledger.unanswered,
          resent: ledger.resent,
          connects: ledger.connects,
          failed_connects: ledger.failedConnects,
        },
        durationMs: Math.round(performance.now() - began),
      };
    } finally {
      await platform.close();
      disk.unmount();
    }
  },
};
