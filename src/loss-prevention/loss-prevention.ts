import type { Scan, SessionEnd } from '../contract/index.js';
import type { AlertView, EntityStore, IngestedEvent, NewAlert } from '../entities/entity-store.js';
import type { Logger } from '../observability/logger.js';
import type { PlatformMetrics } from '../observability/metrics.js';
import { exitEvidence, fromScanMessage, scanEvidence, type ExitFacts } from './evidence.js';

export interface LossPreventionOptions {
  readonly entities: Pick<
    EntityStore,
    'recordAlert' | 'listSessionWeightMismatches' | 'getSessionEnd' | 'getSession'
  >;
  readonly metrics: PlatformMetrics;
  readonly log: Logger;
  /** Told of each alert once it is raised (the live stream); never of a replayed one. */
  readonly onRaised?: (alert: AlertView) => void;
}

/**
 * Raises loss-prevention alerts from projected events (decision 018), after the entity store
 * holds them, so the evidence can include the session's other scans:
 *
 * - exit-without-pay: a session that ended abandoned with items and no authorised payment, or
 *   the cart's own `exit-without-payment` fault naming a session;
 * - weight-mismatch: each scan whose weight check failed.
 *
 * Each alert is keyed by the event that raised it, so replaying a batch raises nothing twice.
 * Failures are logged per event and never hold projection back.
 */
export class LossPrevention {
  constructor(private readonly options: LossPreventionOptions) {}

  /** An EntityProjector listener. */
  readonly applied = async (events: readonly IngestedEvent[]): Promise<void> => {
    for (const event of events) {
      const m = event.message;
      try {
        if (m.type === 'scan' && m.weight_check === 'mismatch') await this.#mismatch(event, m);
        if (m.type === 'session-end' && leftUnpaid(m)) await this.#abandoned(event, m);
        if (m.type === 'fault' && m.code === 'exit-without-payment' && m.session_id) {
          await this.#exitFault(event, m.session_id);
        }
      } catch (error) {
        this.options.log.error(
          { device_id: event.deviceId, counter: event.counter, err: error },
          'could not raise a loss-prevention alert',
        );
      }
    }
  };

  #mismatch(event: IngestedEvent, scan: Scan): Promise<void> {
    return this.#raise(
      event,
      scan.session_id,
      'weight-mismatch',
      scanEvidence(fromScanMessage(scan)),
    );
  }

  async #abandoned(event: IngestedEvent, end: SessionEnd): Promise<void> {
    const facts: ExitFacts = {
      trigger: 'session-end',
      itemCount: end.item_count,
      totalCents: end.total_cents,
      currency: end.currency,
      weightMismatches: end.weight_mismatches,
      paymentStatus: end.payment.status,
    };
    const mismatches = await this.options.entities.listSessionWeightMismatches(end.session_id);
    await this.#raise(event, end.session_id, 'exit-without-pay', exitEvidence(facts, mismatches));
  }

  async #exitFault(event: IngestedEvent, sessionId: string): Promise<void> {
    const { entities } = this.options;
    // The fault may come before the session-end (or without one): say what is known.
    const end = await entities.getSessionEnd(sessionId);
    const session = end ? undefined : await entities.getSession(sessionId);
    const facts: ExitFacts = end
      ? {
          trigger: 'fault',
          itemCount: end.itemCount,
          totalCents: end.totalCents,
          currency: end.currency,
          weightMismatches: end.weightMismatches,
          paymentStatus: end.payment.status,
        }
      : {
          trigger: 'fault',
          itemCount: null,
          totalCents: session ? session.subtotalCents : null,
          currency: session?.currency ?? null,
          weightMismatches: null,
          paymentStatus: null,
        };
    const mismatches = await entities.listSessionWeightMismatches(sessionId);
    await this.#raise(event, sessionId, 'exit-without-pay', exitEvidence(facts, mismatches));
  }

  async #raise(
    event: IngestedEvent,
    sessionId: string,
    kind: NewAlert['kind'],
    evidence: Record<string, unknown>,
  ): Promise<void> {
    const raised = await this.options.entities.recordAlert({
      storeId: event.storeId,
      deviceId: event.deviceId,
      sessionId,
      counter: event.counter,
      kind,
      at: event.deviceTime,
      evidence,
    });
    if (!raised) return;
    this.options.onRaised?.(raised);
    this.options.metrics.lossPreventionAlerts.inc({ kind });
    this.options.log.warn(
      { store_id: event.storeId, device_id: event.deviceId, session_id: sessionId, kind },
      'loss-prevention alert',
    );
  }
}

/** Abandoned with something in it and no authorised payment. */
function leftUnpaid(end: SessionEnd): boolean {
  const items = end.item_count > 0 || end.contents.length > 0;
  return end.status === 'abandoned' && items && end.payment.status !== 'authorized';
}
