import type { ExpectedSession } from './ledger.js';
import type { PlatformSession, PlatformView } from './platform-view.js';

/** Each way the platform can disagree with what the carts did: a closed set. */
export const VIOLATION_KINDS = {
  'session-missing': 'A cart sent the session but the platform does not have it.',
  'session-unexpected': 'Every message of the session was refused, yet the platform has it.',
  'wrong-cart': 'The platform has the session under another device or store.',
  status: "The session's status is not the one its accepted session-end gave.",
  'scan-count': 'The platform counts a different number of scan events than the cart sent.',
  payment: "The payment's status or amount differs from the cart's checkout.",
  'payment-without-session': 'The platform holds a payment that no cart checkout made.',
  'double-counted': 'The platform has a session of these carts that no cart started, or one twice.',
  merge: 'A battery-swap merge points at a session no cart made, or from one not transferred.',
  'cart-missing': "A cart of the run is not among the store's devices.",
} as const;
export type ViolationKind = keyof typeof VIOLATION_KINDS;

export interface Violation {
  readonly kind: ViolationKind;
  readonly sessionId?: string;
  readonly deviceId?: string;
  readonly detail: string;
}

export interface InvariantReport {
  readonly checkedSessions: number;
  readonly violations: readonly Violation[];
  /** Checks this view could not make, in a sentence each. */
  readonly notChecked: readonly string[];
  /** The check itself failed (the API refused, the network broke): nothing is proven. */
  readonly failed?: string;
}

export interface InvariantOptions {
  readonly storeId: string;
  /** The run's carts: listed sessions of other devices are not this run's to judge. */
  readonly carts: readonly string[];
  /** Device-time window of the run, skews included (ms since the epoch). */
  readonly since: number;
  readonly until: number;
  /**
   * Sessions of these carts the platform held before the run began (see `sessionsBefore`): an
   * earlier run's, on the same carts and data directory. They are not this run's to judge, even
   * where their device times fall into its window.
   */
  readonly before?: ReadonlySet<string>;
  /**
   * Projection is asynchronous: retry for up to this many real ms while violations remain,
   * and report what is still broken then.
   */
  readonly settleMs?: number;
}

/**
 * Compares what the carts did (the ledger's expectations) with what the platform holds: every
 * session with its status, scan count and payment; no session of these carts that none started;
 * no payment without a checkout. A session merged into another after a battery swap counts once.
 */
export async function checkInvariants(
  ledger: { expected(): readonly ExpectedSession[] },
  view: PlatformView,
  options: InvariantOptions,
): Promise<InvariantReport> {
  const deadline = performance.now() + (options.settleMs ?? 0);
  for (;;) {
    const report = await checkOnce(ledger.expected(), view, options);
    if (report.violations.length === 0 || performance.now() >= deadline) return report;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function checkOnce(
  expected: readonly ExpectedSession[],
  view: PlatformView,
  options: InvariantOptions,
): Promise<InvariantReport> {
  const violations: Violation[] = [];
  const notChecked: string[] = [];
  const known = new Map(expected.map((e) => [e.sessionId, e]));

  for (const e of expected) {
    const actual = await view.getSession(e.sessionId);
    violations.push(...compareSession(e, actual, options.storeId, known));
  }

  if (view.listStoreSessions) {
    const carts = new Set(options.carts);
    const seen = new Set<string>();
    for await (const s of view.listStoreSessions(options.storeId, options.since, options.until)) {
      if (!carts.has(s.deviceId)) continue;
      const where = { sessionId: s.sessionId, deviceId: s.deviceId };
      if (seen.has(s.sessionId)) {
        violations.push({ kind: 'double-counted', ...where, detail: 'listed twice' });
        continue;
      }
      seen.add(s.sessionId);
      // A known session was compared above (a refused one is reported there as unexpected).
      if (known.has(s.sessionId) || options.before?.has(s.sessionId)) continue;
      violations.push({ kind: 'double-counted', ...where, detail: 'no cart started this session' });
      if (s.payment) {
        violations.push({
          kind: 'payment-without-session',
          ...where,
          detail: `payment ${s.payment.status} ${s.payment.amountCents} on a session no cart started`,
        });
      }
    }
  } else {
    notChecked.push(
      'sessions no cart started (double counting) and payments on them: the platform cannot list a store’s sessions',
    );
  }

  if (view.listStoreDevices) {
    const devices = new Set(await view.listStoreDevices(options.storeId));
    for (const deviceId of options.carts) {
      if (!devices.has(deviceId))
        violations.push({
          kind: 'cart-missing',
          deviceId,
          detail: `not a device of ${options.storeId}`,
        });
    }
  } else {
    notChecked.push("the carts' registration in the store: the view cannot list devices");
  }
  return { checkedSessions: expected.length, violations, notChecked };
}

/** Latest device time a listing of "everything since" asks for: the API wants a real date. */
const FAR_FUTURE = Date.UTC(9999, 11, 31);

/**
 * The sessions of these carts the platform already holds from `since` on (device time, any
 * later time included: an older simulator stamped its own time, which ran ahead of the wall
 * clock). Taken before a run starts, so the run's check judges only sessions the run made.
 * Undefined when the view cannot list a store's sessions.
 */
export async function sessionsBefore(
  view: PlatformView,
  options: { readonly storeId: string; readonly carts: readonly string[]; readonly since: number },
): Promise<ReadonlySet<string> | undefined> {
  if (!view.listStoreSessions) return undefined;
  const carts = new Set(options.carts);
  const ids = new Set<string>();
  for await (const s of view.listStoreSessions(options.storeId, options.since, FAR_FUTURE)) {
    if (carts.has(s.deviceId)) ids.add(s.sessionId);
  }
  return ids;
}

function compareSession(
  e: ExpectedSession,
  actual: PlatformSession | undefined,
  storeId: string,
  known: ReadonlyMap<string, ExpectedSession>,
): Violation[] {
  const where = { sessionId: e.sessionId, deviceId: e.deviceId };
  if (!e.exists) {
    return actual
      ? [
          {
            kind: 'session-unexpected',
            ...where,
            detail: `every message refused, yet ${actual.status}`,
          },
        ]
      : [];
  }
  if (!actual) return [{ kind: 'session-missing', ...where, detail: 'not on the platform' }];
  const out: Violation[] = [];
  if (actual.deviceId !== e.deviceId || actual.storeId !== storeId) {
    out.push({
      kind: 'wrong-cart',
      ...where,
      detail: `held under ${actual.deviceId} in ${actual.storeId}`,
    });
  }
  const statusOk =
    e.status === 'open'
      ? actual.status === 'active' || actual.status === 'paused'
      : actual.status === e.status;
  if (!statusOk) {
    out.push({
      kind: 'status',
      ...where,
      detail: `expected ${e.status}, platform ${actual.status}`,
    });
  }
  const short = e.scanCount - actual.scanCount;
  if (short !== 0 && !(short > 0 && short <= e.unattributedRejects)) {
    out.push({
      kind: 'scan-count',
      ...where,
      detail: `cart sent ${e.scanCount} accepted scans, platform counts ${actual.scanCount}`,
    });
  }
  const p = actual.payment;
  if (e.payment === null && p !== null) {
    out.push({
      kind: 'payment-without-session',
      ...where,
      detail: `payment ${p.status} ${p.amountCents} but the cart's checkout made none`,
    });
  } else if (
    e.payment !== null &&
    (p === null || p.status !== e.payment.status || p.amountCents !== e.payment.amountCents)
  ) {
    out.push({
      kind: 'payment',
      ...where,
      detail: `expected ${e.payment.status} ${e.payment.amountCents}, platform ${p ? `${p.status} ${p.amountCents}` : 'none'}`,
    });
  }
  if (actual.mergedInto) {
    const target = known.get(actual.mergedInto);
    if (!target || e.status !== 'transferred') {
      out.push({
        kind: 'merge',
        ...where,
        detail: target
          ? `merged into ${actual.mergedInto} but the cart ended it ${e.status}`
          : `merged into ${actual.mergedInto}, which no cart made`,
      });
    }
  }
  return out;
}
