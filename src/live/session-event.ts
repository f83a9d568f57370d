import type { EntityStore, ScanView, SessionView } from '../entities/entity-store.js';
import type { BasketLine, LiveAudience, SessionEventData } from './live-events.js';

/** A session as a `session` event shows it, with who may see it; undefined if unknown. */
export async function sessionEvent(
  entities: Pick<EntityStore, 'getSession' | 'listSessionScans'>,
  sessionId: string,
): Promise<{ audience: LiveAudience; data: SessionEventData } | undefined> {
  const session = await entities.getSession(sessionId);
  if (!session) return undefined;
  const lines = basketLines(await entities.listSessionScans(sessionId));
  return { audience: sessionAudience(session), data: sessionData(session, lines) };
}

export function sessionAudience(session: SessionView): LiveAudience {
  return {
    storeId: session.storeId,
    deviceId: session.deviceId,
    sessionId: session.sessionId,
    accountId: session.accountId,
  };
}

function sessionData(session: SessionView, lines: readonly BasketLine[]): SessionEventData {
  return {
    sessionId: session.sessionId,
    storeId: session.storeId,
    deviceId: session.deviceId,
    status: session.status,
    itemCount: session.itemCount ?? lines.reduce((n, line) => n + line.quantity, 0),
    totalCents: session.totalCents ?? session.subtotalCents,
    currency: session.currency,
    scanMismatches: session.scanMismatches,
    startedAt: session.startedAt,
    endedAt: session.endedAt,
    lines,
  };
}

/**
 * The basket from the scans, in the cart's order: one line per item (by sku, else barcode) with
 * adds minus removes; an item taken back out entirely leaves no line.
 */
export function basketLines(scans: readonly ScanView[]): BasketLine[] {
  const lines = new Map<string, BasketLine>();
  for (const scan of scans) {
    const key = scan.sku ?? `barcode:${scan.barcode}`;
    const line = lines.get(key);
    const sign = scan.action === 'add' ? 1 : -1;
    lines.set(key, {
      sku: scan.sku,
      barcode: line?.barcode ?? scan.barcode,
      quantity: (line?.quantity ?? 0) + sign * scan.quantity,
      priceCents: scan.priceCents ?? line?.priceCents ?? null,
      weightMismatch: (line?.weightMismatch ?? false) || scan.weightCheck === 'mismatch',
    });
  }
  return [...lines.values()].filter((line) => line.quantity > 0);
}
