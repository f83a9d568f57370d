import { setMaxListeners } from 'node:events';
import type { FleetCart, StoreSite, TripContext } from '../cart/fleet-cart.js';
import { ScaledClock, type SimClock, type SimTimer } from '../clock/sim-clock.js';
import { maxSkewMs, scheduleFaults, type FaultKind, type FaultSpec } from './faults.js';
import type { CartIdentity, CreateCart, Scenario } from './fleet-types.js';
import { checkInvariants, sessionsBefore, type InvariantReport } from './invariants.js';
import { Ledger, type LedgerCounts } from './ledger.js';
import type { PlatformView } from './platform-view.js';
import { exponential, pickWeighted, substream } from '../random.js';

export interface FleetOptions<C extends FleetCart> {
  readonly identities: readonly CartIdentity[];
  readonly site: StoreSite;
  readonly createCart: CreateCart<C>;
  readonly scenario: Scenario<C>;
  /** Simulated time to run, ms. Trips under way at the end may finish (see closingGraceMs). */
  readonly durationMs: number;
  readonly seed: number;
  /** Simulated ms per real ms (default 1); ignored when `clock` is given. */
  readonly speed?: number;
  /** Simulated time at the start (default: now); ignored when `clock` is given. */
  readonly startMs?: number;
  readonly clock?: SimClock;
  /**
   * The carts' own real-time clocks, ms since the epoch: what they stamp on messages, proximity
   * proofs and command deadlines. Default: the wall clock when the fleet runs on its own scaled
   * clock, so the platform sees the times a real fleet would send (decision 026), and the given
   * clock's time when `clock` is given (a test stepping virtual time keeps one timeline).
   */
  readonly deviceClock?: () => number;
  /**
   * Mean simulated time a cart stands idle between customers (default 45 min): with trips of
   * 5 to 15 minutes that is ten to fifteen sessions per cart in a 12-hour day.
   */
  readonly meanIdleMs?: number;
  /** Simulated time trips under way at the end get to finish before they are cut off (30 min). */
  readonly closingGraceMs?: number;
  readonly faults?: readonly FaultSpec[];
  readonly onProgress?: (progress: FleetProgress) => void;
  /** Real ms between progress reports (default 2000). */
  readonly progressEveryMs?: number;
  /** Real ms each cart gets to empty its queue at the end (default 30 000). */
  readonly flushTimeoutMs?: number;
  /** Carts booting (TLS handshakes) at once (default 32). */
  readonly powerOnConcurrency?: number;
  /** Check the platform against the ledger after the flush, retrying up to settleMs real ms. */
  readonly verify?: { readonly view: PlatformView; readonly settleMs?: number };
  /** A ledger of the caller's (tests tamper with one); a fresh one by default. */
  readonly ledger?: Ledger;
  readonly signal?: AbortSignal;
}

export interface FleetProgress {
  readonly simulatedMs: number;
  readonly simNow: number;
  readonly realMs: number;
  readonly activeTrips: number;
  readonly sessions: number;
  readonly scans: number;
  readonly buffered: number;
  readonly rejects: number;
  readonly messagesCreated: number;
  readonly messagesDelivered: number;
  readonly messagesLost: number;
}

export interface FleetResult extends LedgerCounts {
  readonly scenario: string;
  readonly seed: number;
  readonly carts: number;
  readonly speed: number;
  readonly simulatedMs: number;
  readonly realMs: number;
  /** Sessions less those ended 'transferred': a battery swap is one customer. */
  readonly customerSessions: number;
  readonly trips: Readonly<Record<string, number>>;
  readonly tripErrors: number;
  /** The first few trip and fault errors, for the summary. */
  readonly errors: readonly string[];
  readonly faultsApplied: Readonly<Partial<Record<FaultKind, number>>>;
  /** Messages still waiting after the flush, and the most seen waiting during the run. */
  readonly bufferedAtEnd: number;
  readonly maxBuffered: number;
  readonly unflushed: readonly string[];
  /** Device-time window of the run (the carts' own clocks), skews included (ms since the epoch). */
  readonly window: { readonly since: number; readonly until: number };
  readonly invariants?: InvariantReport;
}

const WINDOW_MARGIN_MS = 60_000;

/**
 * Runs a fleet of carts in this process against a running platform: each cart boots over its own
 * mutual-TLS link, customers arrive at it as a Poisson process and take a trip drawn from the
 * scenario, faults are injected on schedule, and every message is recorded in the ledger. At the
 * end the carts flush, the platform is checked against the ledger (when `verify` is given), and
 * the carts power off.
 */
export async function runFleet<C extends FleetCart>(
  options: FleetOptions<C>,
): Promise<FleetResult> {
  const clock =
    options.clock ??
    new ScaledClock({
      speed: options.speed ?? 1,
      ...(options.startMs !== undefined ? { start: options.startMs } : {}),
    });
  const deviceClock = options.deviceClock ?? (options.clock ? () => clock.now() : Date.now);
  const ledger = options.ledger ?? new Ledger();
  const meanIdleMs = options.meanIdleMs ?? 45 * 60_000;
  const faults = options.faults ?? [];
  const realStart = performance.now();
  const errors: string[] = [];
  const note = (text: string) => {
    if (errors.length < 10) errors.push(text);
  };

  const skew = maxSkewMs(faults);
  const deviceStart = deviceClock();
  const since = deviceStart - skew - WINDOW_MARGIN_MS;
  // What an earlier run on these carts left on the platform, before this run adds anything.
  const before =
    options.verify &&
    (await sessionsBefore(options.verify.view, {
      storeId: options.site.storeId,
      carts: options.identities.map((i) => i.serial),
      since,
    }).catch((error: unknown) => new Error(message(error))));

  const carts: C[] = [];
  for (const identity of options.identities) {
    carts.push(
      await options.createCart(
        identity,
        options.site,
        clock,
        ledger.observer(identity.serial),
        deviceClock,
      ),
    );
  }
  try {
    await inBatches(carts, options.powerOnConcurrency ?? 32, (cart) => cart.powerOn());
  } catch (error) {
    await Promise.allSettled(carts.map((c) => c.shutdown()));
    throw error;
  }

  const t0 = clock.now();
  const deadline = t0 + options.durationMs;
  const grace = options.closingGraceMs ?? 30 * 60_000;
  const closing = new AbortController();
  const cutOff = new AbortController();
  // Every idle cart and every trip waits on these two: far more than the default ten listeners.
  setMaxListeners(0, closing.signal, cutOff.signal);
  const onAbort = () => {
    closing.abort();
    cutOff.abort();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const timers: SimTimer[] = [
    clock.after(options.durationMs, () => closing.abort()),
    clock.after(options.durationMs + grace, () => cutOff.abort()),
  ];

  const busy = new Set<FleetCart>();
  const nextTrip = new Map<FleetCart, (() => void)[]>();
  const faultsApplied: Partial<Record<FaultKind, number>> = {};
  timers.push(
    ...scheduleFaults(faults, carts, clock, substream(options.seed, 'faults'), {
      isShopping: (cart) => busy.has(cart),
      onNextTrip: (cart, fn) => nextTrip.set(cart, [...(nextTrip.get(cart) ?? []), fn]),
      applied: (kind) => (faultsApplied[kind] = (faultsApplied[kind] ?? 0) + 1),
      failed: (kind, cart, error) => note(`${kind} on ${cart.deviceId}: ${message(error)}`),
    }),
  );

  let activeTrips = 0;
  let maxBuffered = 0;
  let tripErrors = 0;
  const trips: Record<string, number> = {};
  const progress = (): FleetProgress => {
    const counts = ledger.counts();
    const buffered = carts.reduce((n, c) => n + c.buffered, 0);
    maxBuffered = Math.max(maxBuffered, buffered);
    const now = clock.now();
    return {
      simulatedMs: Math.min(now, deadline) - t0,
      simNow: now,
      realMs: performance.now() - realStart,
      activeTrips,
      sessions: counts.sessions,
      scans: counts.scans,
      buffered,
      rejects: counts.rejectsTotal,
      messagesCreated: counts.messagesCreated,
      messagesDelivered: counts.messagesDelivered,
      messagesLost: counts.messagesLost,
    };
  };
  const ticker = setInterval(() => {
    const p = progress();
    options.onProgress?.(p);
  }, options.progressEveryMs ?? 2000);

  /** One cart's day: idle, a customer arrives, a trip, idle again, until the store closes. */
  async function day(cart: C): Promise<void> {
    const random = substream(options.seed, `cart:${cart.deviceId}`);
    while (!closing.signal.aborted) {
      const idle = exponential(random, meanIdleMs);
      try {
        await clock.sleep(idle, closing.signal);
      } catch {
        return;
      }
      if (busy.has(cart)) continue; // it is someone's spare cart right now
      const chosen = pickWeighted(random, options.scenario.trips);
      const spares: FleetCart[] = [];
      const ctx: TripContext = {
        clock,
        random,
        signal: cutOff.signal,
        spareCart: () => {
          const spare = carts.find((c) => !busy.has(c));
          if (spare) {
            busy.add(spare);
            spares.push(spare);
          }
          return spare;
        },
      };
      busy.add(cart);
      activeTrips++;
      trips[chosen.name] = (trips[chosen.name] ?? 0) + 1;
      for (const fn of nextTrip.get(cart)?.splice(0) ?? []) fn();
      try {
        await chosen.trip(cart, ctx);
      } catch (error) {
        if (cutOff.signal.aborted) return;
        tripErrors++;
        note(`${chosen.name} on ${cart.deviceId}: ${message(error)}`);
      } finally {
        activeTrips--;
        busy.delete(cart);
        for (const spare of spares) busy.delete(spare);
      }
    }
  }

  let invariants: InvariantReport | undefined;
  let unflushed: string[] = [];
  let simulatedMs = 0;
  try {
    await Promise.all(carts.map((cart) => day(cart)));
    // Cut-off trips settle a moment after the cut-off; that moment is not part of the run.
    simulatedMs = Math.min(clock.now() - t0, options.durationMs + grace);
    for (const t of timers) t.cancel();
    // Links come back for the flush: the ledger can only be checked once everything is sent.
    for (const cart of carts) {
      cart.faults.setWifi(true);
      cart.faults.setCellular(true);
    }
    await Promise.all(carts.map((cart) => cart.returnToDock()));
    const flushTimeoutMs = options.flushTimeoutMs ?? 30_000;
    const flushed = await Promise.all(carts.map((c) => c.flush(flushTimeoutMs)));
    let stuck = carts.filter((_, i) => !flushed[i]);
    // Simulated time runs on during the flush: a cart may have drifted into a state with its
    // radio off (asleep, a fresh session's timers). Bring those back once more and wait again.
    if (stuck.length > 0) {
      for (const cart of stuck) {
        note(`${cart.deviceId}: ${cart.buffered} messages still waiting; docking it again`);
        cart.faults.setWifi(true);
        cart.faults.setCellular(true);
      }
      await Promise.all(stuck.map((cart) => cart.returnToDock()));
      const again = await Promise.all(stuck.map((c) => c.flush(flushTimeoutMs)));
      stuck = stuck.filter((_, i) => !again[i]);
    }
    unflushed = stuck.map((c) => c.deviceId);
    // Carts that flushed may already have a new health message queued: only the stuck count.
    const bufferedAtEnd = stuck.reduce((n, c) => n + c.buffered, 0);
    const window = { since, until: deviceClock() + skew + WINDOW_MARGIN_MS };
    if (before instanceof Error) {
      invariants = { checkedSessions: 0, violations: [], notChecked: [], failed: before.message };
    } else if (options.verify) {
      invariants = await checkInvariants(ledger, options.verify.view, {
        storeId: options.site.storeId,
        carts: carts.map((c) => c.deviceId),
        ...window,
        ...(before ? { before } : {}),
        settleMs: options.verify.settleMs ?? 10_000,
      }).catch((error: unknown) => ({
        checkedSessions: 0,
        violations: [],
        notChecked: [],
        failed: message(error),
      }));
    }
    const counts = ledger.counts();
    const p = progress();
    options.onProgress?.(p);
    return {
      scenario: options.scenario.name,
      seed: options.seed,
      carts: carts.length,
      speed: clock.speed,
      simulatedMs,
      realMs: Math.round(performance.now() - realStart),
      ...counts,
      customerSessions: counts.sessions - counts.transferred,
      trips,
      tripErrors,
      errors,
      faultsApplied,
      bufferedAtEnd,
      maxBuffered,
      unflushed,
      window,
      ...(invariants ? { invariants } : {}),
    };
  } finally {
    clearInterval(ticker);
    for (const t of timers) t.cancel();
    options.signal?.removeEventListener('abort', onAbort);
    await Promise.allSettled(carts.map((c) => c.shutdown()));
  }
}

async function inBatches<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, worker));
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
