// Issue 20: PostgreSQL, holding the entity store (`--entity-url`), is restarted while carts
// shop. Ingest does not need it (telemetry is the platform's own store); projection does, and
// must ride the restart out: afterwards the entity store holds every acknowledged event once.
import pg from 'pg';
import { runFleet } from '../../src/device/sim/fleet.js';
import { simCarts } from '../../src/cli/sim/cart-factory.js';
import { storeShelf } from '../../src/cli/sim/sim-catalog.js';
import { entityPlatformView } from '../../src/cli/sim/entity-platform-view.js';
import { startPlatform } from '../../src/platform/platform.js';
import { openEntities } from '../../src/cli/platform/entities.js';
import { silentLogger } from '../../src/shared/observability/logger.js';
import { FleetWatch } from './engines/cart-watch.js';
import { compare, messageKey, readStored, type MessageKey } from './engines/delivery-tally.js';
import { FAULT_SITE, FAULT_STORE, fleetDir } from './engines/fleet-dir.js';
import { localPlatformConfig } from './engines/local-platform.js';
import { ownPostgresUnavailable, startOwnPostgres } from './engines/own-postgres.js';
import { settle } from './engines/settle.js';
import type { FaultReport, FaultScenario, ScenarioContext } from './scenario.js';

export const postgresRestart: FaultScenario = {
  name: 'postgres-restart',
  title: 'PostgreSQL behind --entity-url restarted under load',
  unavailable: ownPostgresUnavailable,
  run,
};

/** What the entity store holds of the events that have a row of their own. */
interface EntityRows {
  /** (device, counter) of every scan row. */
  readonly scans: Set<MessageKey>;
  readonly sessions: Set<string>;
  /** Sessions whose scan_count disagrees with their scan rows: an event applied twice. */
  readonly miscounted: string[];
}

async function readEntityRows(url: string): Promise<EntityRows> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const scans = await client.query<{ device_id: string; counter: string }>(
      'SELECT device_id, counter FROM scans',
    );
    const sessions = await client.query<{ session_id: string }>('SELECT session_id FROM sessions');
    const miscounted = await client.query<{ session_id: string; scan_count: number; n: string }>(
      `SELECT s.session_id, s.scan_count, count(c.counter) AS n
         FROM sessions s LEFT JOIN scans c ON c.session_id = s.session_id
        GROUP BY s.session_id, s.scan_count
       HAVING s.scan_count <> count(c.counter)`,
    );
    return {
      scans: new Set(scans.rows.map((r) => messageKey(r.device_id, Number(r.counter)))),
      sessions: new Set(sessions.rows.map((r) => r.session_id)),
      miscounted: miscounted.rows.map((r) => `${r.session_id}: ${r.scan_count} vs ${r.n} rows`),
    };
  } finally {
    await client.end();
  }
}

async function run(context: ScenarioContext): Promise<FaultReport> {
  const started = performance.now();
  const quick = context.scale === 'quick';
  const cartCount = quick ? 6 : 20;
  const downMs = quick ? 3000 : 10_000;
  const { data, identities } = await fleetDir(context.workDir, cartCount);
  const postgres = await startOwnPostgres(context.workDir);
  context.log(`PostgreSQL of its own on port ${postgres.port}`);
  const platform = await startPlatform(localPlatformConfig(data, { entityUrl: postgres.url }), {
    openEntities,
    log: silentLogger(),
  });
  try {
    const watch = new FleetWatch();
    const { createCart, scenarios } = simCarts({
      mqttUrl: platform.mqttUrl,
      seed: 50,
      shelf: storeShelf(FAULT_STORE),
    });
    // The restart, in real time, while the fleet runs: down for longer than the projector's
    // retries of one batch take (five attempts, 1.5 s of backoff).
    let restartMs = 0;
    let ackedDuringOutage = 0;
    const countAcked = () => [...watch.carts.values()].reduce((n, c) => n + c.acknowledged.size, 0);
    const restart = (async () => {
      await new Promise((r) => setTimeout(r, quick ? 3000 : 10_000));
      context.log(`stopping PostgreSQL (-m fast) for ${downMs} ms under load`);
      const t0 = performance.now();
      const before = countAcked();
      await postgres.stop();
      await new Promise((r) => setTimeout(r, downMs));
      ackedDuringOutage = countAcked() - before;
      await postgres.start();
      restartMs = Math.round(performance.now() - t0);
      context.log(`PostgreSQL back after ${restartMs} ms`);
    })();
    const result = await runFleet({
      identities,
      site: FAULT_SITE,
      createCart: watch.wrap(createCart),
      scenario: scenarios.golden,
      durationMs: quick ? 3 * 3600_000 : 12 * 3600_000,
      speed: quick ? 900 : 900,
      seed: 50,
      meanIdleMs: 3 * 60_000,
      flushTimeoutMs: 60_000,
      // The simulator's own check of sessions, scan counts and payments against its ledger.
      verify: { view: entityPlatformView(platform.entities), settleMs: 30_000 },
    });
    await restart;
    await platform.projector.catchUp();
    const stored = await settle(
      () => readStored(platform.telemetry),
      (s) => s.copies.size,
    );
    await platform.projector.catchUp();
    const rows = await readEntityRows(postgres.url);
    const deadLettered = (await platform.metrics.deadLettered.get()).values.reduce(
      (n, v) => n + v.value,
      0,
    );

    // The events with a row of their own: each acknowledged scan, each session started.
    const scans = watch.acknowledged((m) => m.type === 'scan');
    const starts = watch.acknowledged((m) => m.type === 'session-start');
    const acknowledged = new Set<MessageKey>([...scans, ...starts]);
    const held = new Set<MessageKey>();
    for (const key of scans) if (rows.scans.has(key)) held.add(key);
    for (const [serial, cart] of watch.carts) {
      for (const counter of cart.acknowledged) {
        const message = cart.created.get(counter);
        if (message?.type === 'session-start' && rows.sessions.has(message.session_id)) {
          held.add(messageKey(serial, counter));
        }
      }
    }
    const entityCounts = compare(acknowledged, {
      copies: new Map([...held].map((k) => [k, 1])),
      byDevice: new Map(),
    });
    const telemetryCounts = compare(watch.acknowledged(), stored);

    const checks = [
      {
        what: 'the fleet was acknowledged messages while PostgreSQL was down',
        ok: ackedDuringOutage > 0,
        detail: `${ackedDuringOutage} acknowledged during the ${downMs} ms outage`,
      },
      {
        what: 'every acknowledged message is in the telemetry store once',
        ok: telemetryCounts.lost === 0 && telemetryCounts.duplicated === 0,
        detail: `acknowledged ${telemetryCounts.acknowledged}, stored ${telemetryCounts.stored}, lost ${telemetryCounts.lost}, duplicated ${telemetryCounts.duplicated}`,
      },
      {
        what: 'nothing was dead-lettered: projection waited for the store instead',
        ok: deadLettered === 0,
        detail: `${deadLettered} events dead-lettered`,
      },
      {
        what: "every session's scan count agrees with its scan rows (no event applied twice)",
        ok: rows.miscounted.length === 0,
        ...(rows.miscounted.length ? { detail: rows.miscounted.slice(0, 3).join('; ') } : {}),
      },
      {
        what: "the entity store's sessions, scan counts and payments match what the carts did",
        ok: result.invariants?.violations.length === 0 && result.invariants.failed === undefined,
        detail: JSON.stringify(
          result.invariants?.violations.slice(0, 3) ?? result.invariants?.failed,
        ),
      },
      watch.tripsCheck(result),
    ];
    if (entityCounts.lost > 0) {
      checks.push({
        what: 'every acknowledged scan and session-start projected',
        ok: false,
        detail: entityCounts.lostSample.join(', '),
      });
    }
    return {
      scenario: postgresRestart.name,
      fault: `PostgreSQL (entity store) stopped with -m fast under load, ${downMs} ms down, started again`,
      acknowledged: entityCounts.acknowledged,
      stored: entityCounts.stored,
      lost: entityCounts.lost,
      duplicated: rows.miscounted.length,
      checks,
      figures: {
        carts: cartCount,
        sessions: result.sessions,
        scans: result.scans,
        messagesAcknowledged: telemetryCounts.acknowledged,
        acknowledgedDuringOutage: ackedDuringOutage,
        restartMs,
        deadLettered,
      },
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    await platform.stop();
    await postgres.close();
  }
}
