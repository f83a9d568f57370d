// Issue 20: the platform SIGKILLed while carts check out. A cart whose checkout post gets no answer
// keeps its paid session-end and sends it over MQTT, where the platform reconciles it with the
// payment service; a checkout the platform captured before it died must not be captured again.
// Judged at the payment service: each paid session captured exactly once, none left uncaptured,
// and the platform's receipt for each.
import { join } from 'node:path';
import { simCarts } from '../../src/cli/sim/cart-factory.js';
import { storeShelf } from '../../src/cli/sim/sim-catalog.js';
import { startDemoPaymentService } from '../../src/cli/payment/demo-payment-service.js';
import type { Cart } from '../../src/device/cart/cart.js';
import { runFleet, type FleetResult } from '../../src/device/sim/fleet.js';
import type { Scenario } from '../../src/device/sim/fleet-types.js';
import { SCENARIOS, TRIPS } from '../../src/device/sim/trips.js';
import type { PaymentStore } from '../../src/payment/payment-store.js';
import {
  importShelfCatalog,
  killStage,
  logLines,
  paidSessionEnds,
  paymentRecords,
  platformSideOf,
  reachedStage,
  tallyCaptures,
  unstored,
  type KillStage,
  type SessionEnd,
} from './domain/checkout-ledger.js';
import {
  portsOf,
  startPlatformChild,
  until,
  type ChildPorts,
  type PlatformChild,
} from './domain/platform-child.js';
import { FleetWatch } from './engines/cart-watch.js';
import { FAULT_SITE, FAULT_STORE, fleetDir } from './engines/fleet-dir.js';
import { stoppedCleanly } from './harness/common-checks.js';
import { errorsLogged } from './harness/platform-process.js';
import { platformUnavailable } from './harness/scenario-setup.js';
import type { FaultReport, FaultScenario, ScenarioContext } from './scenario.js';

export const sigkillCheckout: FaultScenario = {
  name: 'sigkill-checkout',
  title: 'The platform SIGKILLed while carts check out and pay',
  unavailable: () => Promise.resolve(platformUnavailable()),
  run,
};

/** Simulated ms per real ms: a trip takes about 25 s, shorter than a platform restart is not. */
const SPEED = 60;
/**
 * Where each kill lands on the checkout it waits for, in turn: its session-end stored but not
 * yet captured (the platform must reconcile it at restart, since the cart's copy over MQTT is
 * answered as a replay), captured but perhaps not recorded or answered (the retry must not
 * capture twice), and before the store (the cart's MQTT copy is the only one).
 */
const KILL_AT: readonly KillStage[] = ['stored, not captured', 'captured', 'before the store'];

/** How long after the run every paid session may take to be captured and have its receipt. */
const SETTLE_MS = 120_000;

/**
 * The golden trips, less the one whose customer may show an app code: the simulator draws a
 * random one the platform never issued, which it refuses (rightly), and this scenario wants no
 * refusal. Every one of these ends at the checkout.
 */
function checkoutTrips(): Scenario<Cart> {
  const shelf = storeShelf(FAULT_STORE);
  const names = ['knownCustomer', 'guest', 'interruptedShop'] as const;
  return {
    name: 'checkout',
    trips: names.map((name) => ({
      name,
      weight: SCENARIOS.golden.weights[name],
      trip: async (cart, ctx) => {
        await TRIPS[name](cart, ctx, { shelf });
      },
    })),
  };
}

interface Kills {
  readonly restartMs: number[];
  readonly stages: KillStage[];
}

async function run(context: ScenarioContext): Promise<FaultReport> {
  const started = performance.now();
  const quick = context.scale === 'quick';
  const cartCount = quick ? 4 : 12;
  const planned = quick ? 2 : 5;
  const { data, identities } = await fleetDir(context.workDir, cartCount);
  // Without a catalog every basket totals 0, and the payment service refuses a 0-cent capture.
  await importShelfCatalog(data, FAULT_STORE);
  const payment = await startDemoPaymentService(data, new Date());
  const payments = paymentRecords(data);
  const logFile = join(context.workDir, 'platform.log');
  const start = (ports?: ChildPorts) =>
    startPlatformChild(data, logFile, {
      ...(ports ? { ports } : {}),
      extraArgs: ['--payment-url', payment.url],
      signal: context.signal,
    });
  let platform: PlatformChild | undefined;
  let running = true;
  let killer: Promise<void> | undefined;
  try {
    platform = await start();
    const watch = new FleetWatch();
    const { createCart } = simCarts({
      mqttUrl: platform.mqttUrl,
      deviceApiUrl: platform.deviceApiUrl,
      seed: 61,
      shelf: storeShelf(FAULT_STORE),
    });
    const kills: Kills = { restartMs: [], stages: [] };
    // Each kill lands on the checkout of a paid session-end a cart has just made, at the stage
    // KILL_AT names; the report says where it did land (the stages can pass between polls).
    killer = (async () => {
      while (running && kills.stages.length < planned) {
        const seen = new Set(paidSessionEnds(watch).map((e) => e.session_id));
        const next = await until(
          () => (running ? paidSessionEnds(watch).find((e) => !seen.has(e.session_id)) : null),
          'a cart checking out',
          600_000,
          context.signal,
        );
        if (!next || !platform) return;
        const target = KILL_AT[kills.stages.length % KILL_AT.length]!;
        await reachedStage(data, payments, next, target);
        const ports = portsOf(platform);
        await platform.kill();
        kills.stages.push(killStage(data, payments, next));
        context.log(
          `SIGKILL ${kills.stages.length} of ${planned} aimed at '${target}': ${kills.stages.at(-1)}`,
        );
        const t0 = performance.now();
        platform = await start(ports);
        kills.restartMs.push(Math.round(performance.now() - t0));
      }
    })();
    // A kill or restart that fails ends the fleet's run too; the error comes from `await killer`.
    const givenUp = new AbortController();
    killer.catch(() => givenUp.abort());
    const signal = context.signal
      ? AbortSignal.any([context.signal, givenUp.signal])
      : givenUp.signal;
    context.log(`${cartCount} carts shopping and paying, ${planned} kills during checkouts`);
    const result = await runFleet({
      identities,
      site: FAULT_SITE,
      createCart: watch.wrap(createCart),
      scenario: checkoutTrips(),
      durationMs: quick ? 3600_000 : 2 * 3600_000,
      speed: SPEED,
      seed: 61,
      meanIdleMs: 5 * 60_000,
      flushTimeoutMs: 90_000,
      signal,
    });
    running = false;
    await killer;
    const live = platform;
    const paid = paidSessionEnds(watch);
    // A session-end that came over MQTT is reconciled after ingest and projection: wait for the
    // capture and for the platform's receipt, which it issues once it has recorded the payment.
    const settledAfter = performance.now();
    let withoutReceipt: SessionEnd[] = [...paid];
    const settled = await until(
      async () => {
        const pending: SessionEnd[] = [];
        for (const end of withoutReceipt) {
          const receipt = await live.api('GET', `/v1/sessions/${end.session_id}/receipt`);
          if (receipt.status !== 200) pending.push(end);
        }
        withoutReceipt = pending;
        if (pending.length > 0 || tallyCaptures(payments, paid).missing.length > 0)
          return undefined;
        return Math.round(performance.now() - settledAfter);
      },
      'every paid session captured and its receipt issued',
      SETTLE_MS,
      context.signal,
    ).catch(() => {
      context.signal?.throwIfAborted();
      return undefined;
    });
    await live.stop();
    return await judge(
      { context, data, payments, paid, withoutReceipt, result, watch, kills, planned },
      {
        errors: errorsLogged(await logLines(logFile)),
        exit: live.exitCode(),
        figures: {
          carts: cartCount,
          speed: SPEED,
          settled_ms: settled ?? `not settled within ${SETTLE_MS / 1000} s`,
        },
        durationMs: Math.round(performance.now() - started),
      },
    );
  } finally {
    // Whatever ended the run, the killer starts no platform after this one is stopped.
    running = false;
    await killer?.catch(() => undefined);
    await platform?.stop();
    payments.close();
    await payment.close();
  }
}

interface Outcome {
  readonly context: ScenarioContext;
  readonly data: string;
  readonly payments: PaymentStore;
  readonly paid: readonly SessionEnd[];
  readonly withoutReceipt: readonly SessionEnd[];
  readonly result: FleetResult;
  readonly watch: FleetWatch;
  readonly kills: Kills;
  readonly planned: number;
}

async function judge(
  { context, data, payments, paid, withoutReceipt, result, watch, kills, planned }: Outcome,
  end: {
    errors: string;
    exit: number | null;
    figures: FaultReport['figures'];
    durationMs: number;
  },
): Promise<FaultReport> {
  const tally = tallyCaptures(payments, paid);
  const notStored = unstored(data, paid);
  const missingSide = await platformSideOf(data, tally.missing);
  for (const line of missingSide) context.log(`never captured: ${line}`);
  const receiptSide = await platformSideOf(data, withoutReceipt);
  for (const line of receiptSide) context.log(`no receipt: ${line}`);
  const stages = (stage: KillStage) => kills.stages.filter((s) => s === stage).length;
  const sample = (ends: readonly SessionEnd[]) =>
    ends
      .slice(0, 5)
      .map((e) => `${e.device_id}#${e.counter}`)
      .join(', ') || 'none';
  const checks = [
    {
      what: 'the platform was killed with a checkout on its way each time, and restarted',
      ok: kills.stages.length === planned && kills.restartMs.length === planned,
      detail: `${kills.stages.length} kills of ${planned}: ${kills.stages.join('; ')}`,
    },
    {
      what: 'every paid session captured at the payment service',
      ok: tally.missing.length === 0,
      detail: missingSide.join('; ') || `${tally.captured} of ${paid.length}`,
    },
    {
      what: 'no paid session captured twice, none declined or short',
      ok: tally.extraCaptures === 0 && tally.notCaptured.length === 0,
      detail: `extra captures ${tally.extraCaptures}; ${tally.notCaptured.join(', ') || 'no other answers'}`,
    },
    {
      what: 'no cart left with a paid session-end unflushed: the platform holds each',
      ok: result.unflushed.length === 0 && notStored.length === 0,
      detail: `unflushed carts ${result.unflushed.join(',') || 'none'}; not stored ${sample(notStored)}`,
    },
    {
      what: 'a receipt for every paid session, issued once the platform recorded the payment',
      ok: withoutReceipt.length === 0 && typeof end.figures['settled_ms'] === 'number',
      detail: receiptSide.join('; ') || `settled in ${String(end.figures['settled_ms'])} ms`,
    },
    watch.tripsCheck(result),
    stoppedCleanly(end.exit),
  ];
  return {
    scenario: sigkillCheckout.name,
    fault: `SIGKILL ${kills.stages.length} times, each as a cart posted a paid checkout, restarted on the same data directory`,
    acknowledged: paid.length,
    stored: tally.captured,
    lost: tally.missing.length,
    duplicated: tally.extraCaptures,
    checks,
    figures: {
      ...end.figures,
      kills: kills.stages.length,
      killed_before_store: stages('before the store'),
      killed_stored_not_captured: stages('stored, not captured'),
      killed_after_capture: stages('captured'),
      sessions: result.sessions,
      paid_sessions: paid.length,
      replays_answered: watch.resendsAnsweredReplay,
      restart_ms: kills.restartMs.join(', '),
      errors_logged: end.errors,
    },
    durationMs: end.durationMs,
  };
}
