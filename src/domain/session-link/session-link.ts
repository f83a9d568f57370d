import { topics } from '../../contract/index.js';
import type {
  CarriedBasket,
  EntityStore,
  IngestedEvent,
  SessionLink as Link,
  SessionMerge,
} from '../../stores/entities/entity-store.js';
import type { Logger } from '../../shared/observability/logger.js';
import type { PlatformMetrics } from '../../shared/observability/metrics.js';
import { attachCustomer, type AttachKind, type Greeting } from './attach-customer.js';

export interface SessionLinkOptions {
  readonly entities: Pick<EntityStore, 'getSessionLink'>;
  /** The broker port's publish (QoS 1). */
  readonly publish: (topic: string, payload: Buffer) => Promise<void>;
  readonly metrics: PlatformMetrics;
  readonly log: Logger;
  readonly now?: () => number;
}

/**
 * Answers identified sessions with attach-customer (decision 013), after the identity service has
 * resolved and linked them (decision 020). Everything it sends is derived from events and stored
 * state, not from what changed in this application, so re-projecting a batch after a crash
 * re-sends the same command ids and nothing is lost or doubled:
 *
 * - an identified open session: the customer ref (with a first name and pre-shop list for a known
 *   customer), then the basket of each transferred session it continues;
 * - a session merged into an open one (identified, or ended 'transferred'): that session's basket
 *   to the continuing cart (the transferred half may arrive after the new cart's identify).
 *
 * A publish that fails is logged and counted; projection goes on, and the cart can identify again.
 */
export class SessionLinker {
  readonly #now: () => number;

  constructor(private readonly options: SessionLinkOptions) {
    this.#now = options.now ?? Date.now;
  }

  /**
   * The identity service linked this session (from its identify with this counter).
   * `deviceClockOffsetMs` is how far the cart's clock is ahead of ours (the identify's device time
   * minus its arrival): the answer's expiry is set in the cart's own time, so a cart whose clock is
   * off, or a simulated cart running faster than real time, does not find it expired on arrival.
   */
  async identified(
    sessionId: string,
    counter: number,
    greeting: Greeting = {},
    deviceClockOffsetMs = 0,
  ): Promise<void> {
    const run = this.#run(deviceClockOffsetMs);
    await this.#guard(sessionId, async () => {
      const session = await run.link(sessionId);
      if (!session) return;
      if (session.open) {
        const command = attachCustomer(
          session,
          { kind: 'identify', counter, greeting },
          this.#now() + deviceClockOffsetMs,
        );
        await this.#send(session, 'identify', command);
        for (const basket of session.carried) await run.carry(session, basket);
      }
      await run.continued(session);
    });
  }

  /** An EntityProjector listener: transferred halves that ended after their continuation began. */
  readonly applied = async (
    events: readonly IngestedEvent[],
    merges: readonly SessionMerge[],
  ): Promise<void> => {
    this.options.metrics.sessionMerges.inc(merges.length);
    const ended = new Set<string>();
    for (const event of events) {
      const m = event.message;
      if (m.type === 'session-end' && m.status === 'transferred') ended.add(m.session_id);
    }
    if (ended.size === 0) return;
    const run = this.#run();
    for (const sessionId of ended) {
      await this.#guard(sessionId, async () => {
        const session = await run.link(sessionId);
        if (session) await run.continued(session);
      });
    }
  };

  /**
   * Lookups and sends shared by one run, so a basket goes once however it became known. The clock
   * offset is the identified cart's; a basket found from the other cart's end goes in our time.
   */
  #run(deviceClockOffsetMs = 0) {
    const sent = new Set<string>();
    const links = new Map<string, Promise<Link | undefined>>();
    const link = (sessionId: string) => {
      let found = links.get(sessionId);
      if (!found) links.set(sessionId, (found = this.options.entities.getSessionLink(sessionId)));
      return found;
    };
    const carry = async (into: Link, basket: CarriedBasket) => {
      if (!into.open || sent.has(`${into.sessionId}/${basket.fromSessionId}`)) return;
      sent.add(`${into.sessionId}/${basket.fromSessionId}`);
      const now = this.#now() + deviceClockOffsetMs;
      await this.#send(into, 'carry', attachCustomer(into, { kind: 'carry', basket }, now));
    };
    const continued = async (from: Link) => {
      if (from.mergedInto === null) return;
      const into = await link(from.mergedInto);
      const basket = into?.carried.find((b) => b.fromSessionId === from.sessionId);
      if (into && basket) await carry(into, basket);
    };
    return { link, carry, continued };
  }

  async #send(link: Link, kind: AttachKind, command: object): Promise<void> {
    const { publish, metrics, log } = this.options;
    try {
      await publish(topics.commandRequest(link.deviceId), Buffer.from(JSON.stringify(command)));
      metrics.attachCustomer.inc({ kind, outcome: 'sent' });
    } catch (error) {
      metrics.attachCustomer.inc({ kind, outcome: 'failed' });
      log.warn(
        { device_id: link.deviceId, session_id: link.sessionId, kind, err: String(error) },
        'could not send attach-customer; the cart can identify again',
      );
    }
  }

  /** One session's trouble (a store error) stays with that session. */
  async #guard(sessionId: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.options.log.error({ session_id: sessionId, err: error }, 'session link failed');
    }
  }
}
