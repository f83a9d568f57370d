// Issue 20: the platform SIGKILLed while carts check out. A cart whose checkout post gets no answer
// keeps its paid session-end and sends it over MQTT, where the platform reconciles it with the
// payment service; a checkout the platform captured before it died must not be captured again.
// Judged at the payment service: each paid session captured exactly once, none left uncaptured.
import { join } from 'node:path';
import { simCarts } from '../../src/cli/sim/cart-factory.js';
import { storeShelf } from '../../src/cli/sim/sim-catalog.js';
import { startDemoPaymentService } from '../../src/cli/payment/demo-payment-service.js';
import { runFleet } from '../../src/device/sim/fleet.js';
import { paymentLayout } from '../../src/payment/payment-layout.js';
import { PaymentStore } from '../../src/payment/payment-store.js';
import type { DeviceMessage } from '../../src/contract/index.js';
import { portsOf, startPlatformChild, until, type PlatformChild } from './domain/platform-child.js';
import { FleetWatch } from './engines/cart-watch.js';
import { FAULT_SITE, FAULT_STORE, fleetDir } from './engines/fleet-dir.js';
import { stoppedCleanly } from './harness/common-checks.js';
import { platformUnavailable } from './harness/scenario-setup.js';
import type { FaultReport, FaultScenario, ScenarioContext } from './scenario.js';

export const sigkillCheckout: FaultScenario = {
  name: 'sigkill-checkout',
  title: 'The platform SIGKILLed while carts check out and pay',
  unavailable: () => Promise.resolve(platformUnavailable()),
  run,
};

type SessionEnd = Extract<DeviceMessage, { type: 'session-end' }>;

/** The paid session-ends the carts made: what the payment service must capture once each. */
function paidSessionEnds(watch: FleetWatch): SessionEnd[] {
  const ends: SessionEnd[] = [];
  for (const cart of watch.carts.values()) {
    for (const message of cart.created.values()) {
      if (message.type === 'session-end' && message.payment.status === 'authorized') {
        ends.push(message);
      }
    }
  }
  return ends;
}

async function run(context: ScenarioContext): Promise<FaultReport> {
  const started = performance.now();
  const quick = context.scale === 'quick';
  const cartCount = quick ? 4 : 12;
  const kills = quick ? 2 : 5;
  const { data, identities } = await fleetDir(context.workDir, cartCount);
  const payment = await startDemoPaymentService(data, new Date());
  const logFile = join(context.workDir, 'platform.log');
  const args = ['--payment-url', payment.url];
  let platform: PlatformChild = await startPlatformChild(data, logFile, undefined, args);
  const ports = portsOf(platform);
  const watch = new FleetWatch();
  const { createCart, scenarios } = simCarts({
    mqttUrl: platform.mqttUrl,
    deviceApiUrl: platform.deviceApiUrl,
    seed: 61,
    shelf: storeShelf(FAULT_STORE),
  });
  try {
    // Each kill lands as a cart makes a paid session-end: its checkout post is on its way.
    let killed = 0;
    const restartMs: number[] = [];
    let running = true;
    const killer = (async () => {
      while (running && killed < kills) {
        const seen = paidSessionEnds(watch).length;
        const next = await until(
          () => (!running || paidSessionEnds(watch).length > seen ? true : undefined),
          'a cart checking out',
          600_000,
        );
        if (!next || !running) return;
        await platform.kill();
        killed++;
        context.log(`SIGKILL ${killed} of ${kills} with a checkout on its way`);
        const t0 = performance.now();
        platform = await startPlatformChild(data, logFile, ports, args);
        restartMs.push(Math.round(performance.now() - t0));
      }
    })();
    context.log(`${cartCount} carts shopping and paying, ${kills} kills during checkouts`);
    const result = await runFleet({
      identities,
      site: FAULT_SITE,
      createCart: watch.wrap(createCart),
      scenario: scenarios.golden,
      durationMs: quick ? 2 * 3600_000 : 4 * 3600_000,
      speed: quick ? 900 : 600,
      seed: 61,
      meanIdleMs: 5 * 60_000,
      flushTimeoutMs: 90_000,
    });
    running = false;
    await killer;

    // Reconciliation of a session-end that came over MQTT runs after ingest: wait for it.
    const store = new PaymentStore(paymentLayout(data).db);
    const paid = paidSessionEnds(watch);
    const captured = (end: SessionEnd) =>
      store.attempts(end.session_id).filter((a) => a.status === 'captured');
    await until(
      () => (paid.every((end) => captured(end).length > 0) ? true : undefined),
      'every paid session captured',
      120_000,
    ).catch(() => undefined);
    const lostSample: string[] = [];
    let lost = 0;
    let duplicated = 0;
    let stored = 0;
    for (const end of paid) {
      const n = captured(end).length;
      if (n === 0) {
        lost++;
        if (lostSample.length < 5) lostSample.push(`${end.device_id} session ${end.session_id}`);
      } else {
        stored++;
        duplicated += n - 1;
      }
    }
    store.close();
    await platform.stop();
    const exit = platform.exitCode();
    const checks = [
      {
        what: 'the platform was killed with a checkout on its way, and restarted',
        ok: killed > 0 && restartMs.length === killed,
        detail: `${killed} kills of ${kills} planned, restarts in ${restartMs.join(', ')} ms`,
      },
      {
        what: 'every cart emptied its buffer',
        ok: result.unflushed.length === 0,
        detail: `unflushed ${result.unflushed.join(',') || 'none'}`,
      },
      watch.tripsCheck(result),
      stoppedCleanly(exit),
      ...(lostSample.length > 0
        ? [
            {
              what: 'paid sessions never captured (sample)',
              ok: false,
              detail: lostSample.join(', '),
            },
          ]
        : []),
    ];
    return {
      scenario: sigkillCheckout.name,
      fault: `SIGKILL ${killed} times, each as a cart posted a checkout, restarted on the same data directory`,
      acknowledged: paid.length,
      stored,
      lost,
      duplicated,
      checks,
      figures: {
        carts: cartCount,
        kills: killed,
        sessions: result.sessions,
        paid_sessions: paid.length,
        restart_ms: restartMs.join(', '),
      },
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    await platform.stop().catch(() => undefined);
    await payment.close();
  }
}
