// Issue 20: the platform ingests through an external Mosquitto (`--broker-url`), which is
// restarted while carts publish QoS 1. On this path a device's "acknowledged" is Mosquitto's
// PUBACK, not the platform's: Mosquitto holds the message for the platform's shared-subscription
// session (clean_session false, session expiry a day, persistence on) until ingest stores it and
// PUBACKs in turn. The scenario counts what Mosquitto acknowledged against what the platform
// stored across a restart (SIGTERM: Mosquitto writes its persistence file), then measures what a
// crash (SIGKILL) of Mosquitto loses of what it had acknowledged, which no setting of the
// platform can recover: decision 050. Right before the restart an extra device publishes a
// burst faster than ingest stores it, so Mosquitto always goes down holding messages.
import { DeviceLink, loadProvisionedDevice } from '../../src/device/link/device-link.js';
import { runFleet } from '../../src/device/sim/fleet.js';
import { simCarts } from '../../src/cli/sim/cart-factory.js';
import { storeShelf } from '../../src/cli/sim/sim-catalog.js';
import { startPlatform } from '../../src/platform/platform.js';
import { openEntities } from '../../src/cli/platform/entities.js';
import { silentLogger } from '../../src/shared/observability/logger.js';
import { FleetWatch } from './engines/cart-watch.js';
import { message } from '../../test-support/messages.js';
import { compare, messageKey, readStored, type MessageKey } from './engines/delivery-tally.js';
import { FAULT_SITE, FAULT_STORE, fleetDir } from './engines/fleet-dir.js';
import { localPlatformConfig } from './engines/local-platform.js';
import { mosquittoUnavailable, startOwnMosquitto } from './engines/own-mosquitto.js';
import { settle } from './engines/settle.js';
import type { FaultReport, FaultScenario, ScenarioContext } from './scenario.js';

export const mosquittoRestart: FaultScenario = {
  name: 'mosquitto-restart',
  title: 'Mosquitto behind --broker-url restarted under QoS 1 load',
  unavailable: mosquittoUnavailable,
  run,
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function run(context: ScenarioContext): Promise<FaultReport> {
  const started = performance.now();
  const quick = context.scale === 'quick';
  const cartCount = quick ? 6 : 20;
  const downMs = quick ? 2000 : 5000;
  const fleet = await fleetDir(context.workDir, cartCount + 1);
  const { data } = fleet;
  // The last one is not a cart: it publishes a burst right before the restart, so Mosquitto
  // goes down holding messages it acknowledged and ingest has not stored, whatever the pace.
  const burster = fleet.identities.at(-1)!;
  const identities = fleet.identities.slice(0, cartCount);
  const mosquitto = await startOwnMosquitto(data, context.workDir);
  context.log(
    `Mosquitto of its own at ${mosquitto.url}, persistence in ${mosquitto.persistenceDir}`,
  );
  const platform = await startPlatform(
    localPlatformConfig(data, { externalBroker: { url: mosquitto.url } }),
    { openEntities, log: silentLogger() },
  );
  try {
    const watch = new FleetWatch();
    const { createCart, scenarios } = simCarts({
      mqttUrl: mosquitto.url,
      seed: 51,
      shelf: storeShelf(FAULT_STORE),
    });
    const storedKeys = async () => new Set((await readStored(platform.telemetry)).copies.keys());
    const figures: Record<string, number> = {};
    /** Acknowledged by Mosquitto at the moment it went down, and not yet stored by the platform. */
    let heldByMosquitto = new Set<MessageKey>();
    let crashExposed = new Set<MessageKey>();
    let burstKeys: MessageKey[] = [];
    const faults = (async () => {
      await sleep(quick ? 3000 : 10_000);
      // The restart an operator does (systemctl restart: SIGTERM, then start).
      const burst = await publishBurst(mosquitto.url, burster.credentialsDir, quick ? 400 : 2000);
      burstKeys = burst;
      await mosquitto.stop();
      const acked = new Set([...watch.acknowledged(), ...burst]);
      const stored = await storedKeys();
      heldByMosquitto = new Set([...acked].filter((k) => !stored.has(k)));
      context.log(
        `Mosquitto stopped (SIGTERM) holding ${heldByMosquitto.size} acknowledged messages`,
      );
      await sleep(downMs);
      await mosquitto.start();
      context.log('Mosquitto started again');
      await sleep(quick ? 3000 : 10_000);
      // A crash: only measured, see the head of this file.
      await mosquitto.kill();
      // A while after the exit, not at the signal: a PUBACK Mosquitto wrote just before it died
      // is read by the cart afterwards, and its message died with Mosquitto. Nothing new can be
      // acknowledged until the start below.
      await sleep(1000);
      const beforeCrash = watch.acknowledged();
      const storedAtCrash = await storedKeys();
      crashExposed = new Set([...beforeCrash].filter((k) => !storedAtCrash.has(k)));
      context.log(`Mosquitto killed (SIGKILL) holding ${crashExposed.size} acknowledged messages`);
      await sleep(downMs - 1000);
      await mosquitto.start();
    })();
    const result = await runFleet({
      identities,
      site: FAULT_SITE,
      createCart: watch.wrap(createCart),
      scenario: scenarios.golden,
      durationMs: quick ? 3 * 3600_000 : 12 * 3600_000,
      speed: 900,
      seed: 51,
      meanIdleMs: 3 * 60_000,
      flushTimeoutMs: 60_000,
    });
    await faults;
    const stored = await settle(
      () => readStored(platform.telemetry),
      (s) => s.copies.size,
      { quietMs: 1500 },
    );
    // Acknowledged by Mosquitto before the crash and never stored: the crash's loss, measured
    // apart from the restart's (which must be nothing).
    const lostToCrash = [...crashExposed].filter((k) => !stored.copies.has(k));
    const acknowledged = new Set([...watch.acknowledged(), ...burstKeys]);
    for (const key of lostToCrash) acknowledged.delete(key);
    const counts = compare(acknowledged, stored);
    const heldDelivered = [...heldByMosquitto].filter((k) => stored.copies.has(k)).length;
    Object.assign(figures, {
      carts: cartCount,
      sessions: result.sessions,
      scans: result.scans,
      downMs,
      burstBeforeRestart: burstKeys.length,
      heldByMosquittoAtRestart: heldByMosquitto.size,
      heldAtRestartThenStored: heldDelivered,
      heldByMosquittoAtCrash: crashExposed.size,
      acknowledgedByMosquittoLostToCrash: lostToCrash.length,
      replayed: watch.replayed,
      storedEvents: stored.copies.size,
      acknowledgedByMosquitto: watch.acknowledged().size + burstKeys.length,
      messagesCreated: result.messagesCreated,
      resendsAnsweredReplay: watch.resendsAnsweredReplay,
    });
    const checks = [
      {
        what: 'Mosquitto went down holding messages it had acknowledged and the platform had not stored',
        ok: heldByMosquitto.size > 0,
        detail: `${heldByMosquitto.size} at the SIGTERM`,
      },
      {
        what: 'after the restart every one of those reached the platform (persistence, QoS 1 session)',
        ok: heldDelivered === heldByMosquitto.size,
        detail: `${heldDelivered} of ${heldByMosquitto.size}`,
      },
      {
        what: 'every cart emptied its buffer',
        ok: result.unflushed.length === 0,
        detail: `unflushed ${result.unflushed.join(',') || 'none'}`,
      },
      watch.tripsCheck(result),
    ];
    if (counts.lost > 0) {
      checks.push({
        what: 'no message Mosquitto acknowledged lost across the restart',
        ok: false,
        detail: counts.lostSample.join(', '),
      });
    }
    return {
      scenario: mosquittoRestart.name,
      fault: `Mosquitto restarted (SIGTERM, ${downMs} ms down, start) under QoS 1 load; then killed (SIGKILL) and started, its loss measured apart`,
      acknowledged: counts.acknowledged,
      stored: counts.stored,
      lost: counts.lost,
      duplicated: counts.duplicated,
      checks,
      figures,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    await platform.stop();
    await mosquitto.close();
  }
}

/**
 * Publishes `count` signed messages from one device as fast as Mosquitto takes them and resolves
 * with the keys it acknowledged: faster than ingest stores them, so some are still held at
 * Mosquitto when it stops.
 */
async function publishBurst(
  url: string,
  credentialsDir: string,
  count: number,
): Promise<MessageKey[]> {
  const credentials = await loadProvisionedDevice(credentialsDir);
  const link = await DeviceLink.connect(url, credentials, { clean: true, reconnect: false });
  try {
    const id = credentials.deviceId;
    const sent = await Promise.allSettled(
      Array.from({ length: count }, (_, i) => link.send(message('health', id, i + 1))),
    );
    return sent.flatMap((r, i) => (r.status === 'fulfilled' ? [messageKey(id, i + 1)] : []));
  } finally {
    await link.client.endAsync(true).catch(() => undefined);
  }
}
