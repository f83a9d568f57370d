import type { Health, Scan, ShadowReport } from '../../contract/index.js';
import type { EntityStore, IngestedEvent } from '../../stores/entities/entity-store.js';
import type { Logger } from '../../shared/observability/logger.js';
import type { LivePublisher, ScanEventData } from './live-events.js';
import { sessionEvent } from './session-event.js';

export interface ProjectionFeedOptions {
  readonly bus: LivePublisher;
  readonly entities: Pick<EntityStore, 'getSession' | 'listSessionScans'>;
  readonly log: Logger;
  /** Batches waiting for their session reads past which a batch's session events are dropped. */
  readonly maxPending?: number;
  /** Sessions whose last event is remembered, so an unchanged session is not sent again. */
  readonly remember?: number;
}

/**
 * Turns what projection applied into live events, once the entity store holds it: a cart's
 * health report and its shadow report are `cart` events at once; scans and the sessions they and the session messages
 * touch need the session read back (its customer decides who may see them, its basket is what a
 * page shows), which runs behind projection, in order, so projection never waits on a page.
 * Nothing is read while nobody listens. A session is sent only when what a page shows changed
 * (a health report every minute names the session, but changes nothing in it).
 */
export class ProjectionFeed {
  readonly #o: ProjectionFeedOptions;
  readonly #maxPending: number;
  readonly #remember: number;
  readonly #sent = new Map<string, string>();
  #pending = 0;
  #chain: Promise<void> = Promise.resolve();

  constructor(options: ProjectionFeedOptions) {
    this.#o = options;
    this.#maxPending = options.maxPending ?? 256;
    this.#remember = options.remember ?? 10_000;
  }

  /** An EntityProjector listener. */
  readonly applied = (events: readonly IngestedEvent[]): Promise<void> => {
    const { bus } = this.#o;
    if (!bus.listening) return Promise.resolve();
    const sessions = new Map<string, IngestedEvent[]>();
    const touch = (sessionId: string, scan?: IngestedEvent) => {
      const scans = sessions.get(sessionId) ?? [];
      if (scan) scans.push(scan);
      sessions.set(sessionId, scans);
    };
    for (const event of events) {
      const m = event.message;
      if (m.type === 'health') this.#health(event, m);
      if (m.type === 'shadow-report') this.#shadow(event, m);
      if (m.type === 'scan') touch(m.session_id, event);
      if (m.type === 'session-start' || m.type === 'session-end' || m.type === 'identify') {
        touch(m.session_id);
      }
      if (m.type === 'health' && m.session_id !== undefined) touch(m.session_id);
    }
    if (sessions.size === 0) return Promise.resolve();
    if (this.#pending >= this.#maxPending) {
      this.#o.log.warn({ sessions: sessions.size }, 'live session events dropped: reads behind');
      return Promise.resolve();
    }
    this.#pending++;
    this.#chain = this.#chain
      .then(() => this.#sessions(sessions))
      .catch((error: unknown) => this.#o.log.error({ err: error }, 'live session events failed'))
      .finally(() => void this.#pending--);
    return Promise.resolve();
  };

  /** Resolves once the session events of every batch so far are out (tests, shutdown). */
  settled(): Promise<void> {
    return this.#chain;
  }

  #health(event: IngestedEvent, m: Health): void {
    this.#o.bus.publish(
      'cart',
      { storeId: event.storeId, deviceId: event.deviceId },
      {
        deviceId: event.deviceId,
        storeId: event.storeId,
        change: 'health',
        at: new Date(event.deviceTime).toISOString(),
        state: m.state,
        batteryPct: m.battery_pct,
        charging: m.charging,
        link: m.link,
        rssiDbm: m.rssi_dbm ?? null,
        firmwareVersion: m.firmware_version,
        sessionId: m.session_id ?? null,
      },
    );
  }

  /** The cart reported its shadow: a page showing that shadow reads it again. */
  #shadow(event: IngestedEvent, m: ShadowReport): void {
    this.#o.bus.publish(
      'cart',
      { storeId: event.storeId, deviceId: event.deviceId },
      {
        deviceId: event.deviceId,
        storeId: event.storeId,
        change: 'shadow',
        at: new Date(event.deviceTime).toISOString(),
        reportedDesiredVersion: m.desired_version,
      },
    );
  }

  async #sessions(sessions: Map<string, IngestedEvent[]>): Promise<void> {
    const { bus, entities } = this.#o;
    for (const [sessionId, scans] of sessions) {
      const session = await sessionEvent(entities, sessionId);
      if (!session) continue;
      for (const scan of scans) {
        bus.publish('scan', session.audience, scanData(scan, scan.message as Scan));
      }
      // Who may see it is part of what changed: a session linked to an account after its start
      // (an identify) shows nothing new to staff, but is news to the customer's app.
      const shown = JSON.stringify([session.audience, session.data]);
      if (this.#sent.get(sessionId) === shown) continue;
      this.#sent.delete(sessionId);
      this.#sent.set(sessionId, shown);
      if (this.#sent.size > this.#remember) this.#sent.delete(this.#sent.keys().next().value!);
      bus.publish('session', session.audience, session.data);
    }
  }
}

function scanData(event: IngestedEvent, m: Scan): ScanEventData {
  return {
    sessionId: m.session_id,
    storeId: event.storeId,
    deviceId: event.deviceId,
    counter: event.counter,
    scanSeq: m.scan_seq,
    action: m.action,
    barcode: m.barcode,
    sku: m.sku ?? null,
    quantity: m.quantity,
    priceCents: m.price_cents ?? null,
    weightCheck: m.weight_check,
    scannedAt: new Date(event.deviceTime).toISOString(),
  };
}
