// Issue 20: a store loses its uplink for an hour while shoppers keep scanning. Every cart of the
// store buffers in flash, replays in counter order when the link returns, and the platform ends
// up holding every message once, with no gap in any cart's counters.
import { runFleet } from '../../src/device/sim/fleet.js';
import { simCarts } from '../../src/cli/sim/cart-factory.js';
import { storeShelf } from '../../src/cli/sim/sim-catalog.js';
import { startPlatform } from '../../src/platform/platform.js';
import { openEntities } from '../../src/cli/platform/entities.js';
import { silentLogger } from '../../src/shared/observability/logger.js';
import { FleetWatch } from './engines/cart-watch.js';
import { compare, messageKey, readStored } from './engines/delivery-tally.js';
import { FAULT_SITE, FAULT_STORE, fleetDir } from './engines/fleet-dir.js';
import { localPlatformConfig } from './engines/local-platform.js';
import { settle } from './engines/settle.js';
import type { FaultReport, FaultScenario, ScenarioContext } from './scenario.js';

const HOUR = 3600_000;
const OUTAGE_AT = 30 * 60_000;

export const storeOfflineHour: FaultScenario = {
  name: 'store-offline-hour',
  title: "A store's carts lose their uplink for an hour while shoppers keep scanning",
  unavailable: () => Promise.resolve(undefined),
  run,
};

async function run(context: ScenarioContext): Promise<FaultReport> {
  const started = performance.now();
  const quick = context.scale === 'quick';
  const cartCount = quick ? 4 : 20;
  const { data, identities } = await fleetDir(context.workDir, cartCount);
  const platform = await startPlatform(localPlatformConfig(data), {
    openEntities,
    log: silentLogger(),
  });
  try {
    const watch = new FleetWatch();
    const { createCart, scenarios } = simCarts({
      mqttUrl: platform.mqttUrl,
      seed: 20,
      shelf: storeShelf(FAULT_STORE),
    });
    context.log(`${cartCount} carts, links down for one simulated hour from minute 30`);
    const result = await runFleet({
      identities,
      site: FAULT_SITE,
      createCart: watch.wrap(createCart),
      scenario: scenarios.golden,
      durationMs: 2 * HOUR,
      speed: quick ? 1800 : 600,
      seed: 20,
      meanIdleMs: quick ? 5 * 60_000 : 10 * 60_000,
      faults: [{ kind: 'links-down', atMs: OUTAGE_AT, forMs: HOUR, fraction: 1 }],
      progressEveryMs: 100,
      flushTimeoutMs: 60_000,
    });

    const acknowledged = watch.acknowledged();
    // Ingest stores before it acknowledges, but the store is read through its own connection:
    // wait until what it holds stops changing.
    const stored = await settle(
      () => readStored(platform.telemetry),
      (s) => s.copies.size,
    );
    const counts = compare(acknowledged, stored);

    const held = await watch.heldInFlash();
    let heldAtEnd = 0;
    const outOfOrder: string[] = [];
    const gaps: string[] = [];
    const extra: string[] = [];
    for (const [serial, cart] of watch.carts) {
      const replays = cart.replayOrder;
      if (replays.some((c, i) => i > 0 && c < replays[i - 1]!)) {
        outOfOrder.push(`${serial} acknowledged replays ${replays.join(',')}`);
      }
      const storedCounters = stored.byDevice.get(serial) ?? [];
      const storedSet = new Set(storedCounters);
      const sent = [...cart.created.keys()].filter(
        (c) => !watch.refused.has(messageKey(serial, c)),
      );
      const stillHeld = held.get(serial) ?? new Set<number>();
      heldAtEnd += stillHeld.size;
      // What flash still holds came after everything acknowledged; one before would be skipped.
      const lastAcknowledged = Math.max(0, ...cart.acknowledged);
      const skipped = [...stillHeld].filter((c) => c < lastAcknowledged);
      if (skipped.length > 0) gaps.push(`${serial} still holds ${skipped.slice(0, 5).join(',')}`);
      const missing = sent.filter((c) => !storedSet.has(c) && !stillHeld.has(c));
      if (missing.length > 0) {
        const named = missing.slice(0, 5).map((c) => `${c} (${cart.created.get(c)?.type})`);
        gaps.push(`${serial} missing ${named.join(', ')}`);
      }
      const unknown = storedCounters.filter((c) => !cart.created.has(c));
      if (unknown.length > 0)
        extra.push(`${serial} stored unsent ${unknown.slice(0, 5).join(',')}`);
    }
    const replayed = watch.replayed;
    const checks = [
      {
        what: 'every cart lost both links for the hour',
        ok: result.faultsApplied['links-down'] === cartCount,
        detail: `links-down applied to ${result.faultsApplied['links-down'] ?? 0} of ${cartCount}`,
      },
      {
        what: 'shoppers kept scanning while the store was offline',
        ok: result.scanAckOffline.count > 0,
        detail: `${result.scanAckOffline.count} scans acknowledged on the cart offline`,
      },
      {
        what: 'carts buffered during the outage and replayed afterwards',
        ok: result.maxBuffered > 0 && replayed > 0,
        detail: `buffered peak ${result.maxBuffered}, replayed ${replayed}`,
      },
      {
        what: 'each cart replayed its buffer in counter order',
        ok: outOfOrder.length === 0,
        ...(outOfOrder.length ? { detail: outOfOrder.slice(0, 3).join('; ') } : {}),
      },
      {
        what: 'per cart, the stored counters are exactly the sent ones, none missing (but what flash still holds after the flush)',
        ok: gaps.length === 0 && extra.length === 0,
        ...(gaps.length || extra.length
          ? { detail: [...gaps, ...extra].slice(0, 4).join('; ') }
          : {}),
      },
      {
        what: 'every cart emptied its buffer and no message was lost from RAM',
        ok: result.unflushed.length === 0 && result.messagesLost === 0,
        detail: `unflushed ${result.unflushed.join(',') || 'none'}, lost from RAM ${result.messagesLost} ${watch.lostFromRam.join('; ')}`,
      },
      watch.tripsCheck(result),
    ];
    if (counts.lost > 0) {
      checks.push({
        what: 'no acknowledged message lost',
        ok: false,
        detail: counts.lostSample.join(', '),
      });
    }
    return {
      scenario: storeOfflineHour.name,
      fault: `both links of all ${cartCount} carts of ${FAULT_STORE} down from simulated minute 30 for one simulated hour, shoppers scanning on`,
      acknowledged: counts.acknowledged,
      stored: counts.stored,
      lost: counts.lost,
      duplicated: counts.duplicated,
      checks,
      figures: {
        carts: cartCount,
        speed: result.speed,
        sessions: result.sessions,
        scans: result.scans,
        scansAcknowledgedOffline: result.scanAckOffline.count,
        bufferedPeak: result.maxBuffered,
        replayed,
        resendsAnsweredReplay: watch.resendsAnsweredReplay,
        messagesCreated: result.messagesCreated,
        heldInFlashAtEnd: heldAtEnd,
        storedEvents: stored.copies.size,
      },
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    await platform.stop();
  }
}
