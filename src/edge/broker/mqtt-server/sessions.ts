import type { Connection } from './connection.js';
import type { OutboundMessage } from './server-types.js';
import { Session } from './session.js';

/**
 * Every session by client id, who subscribes to which topic, and the retained messages. Filters
 * are exact topics (the server refuses wildcards), so routing a message is one Map lookup
 * whatever the number of clients. Nothing here survives a restart: the owner publishes its
 * retained documents again when it starts.
 */
export class SessionRegistry<P> {
  readonly #sessions = new Map<string, Session<P>>();
  readonly #subscribers = new Map<string, Set<Session<P>>>();
  readonly #retained = new Map<string, OutboundMessage>();
  /** Sessions without a connection that end at their `expiresAt`. */
  readonly #offline = new Set<Session<P>>();
  #nextExpiry = Number.POSITIVE_INFINITY;
  #dropped = 0;
  readonly #limits: { readonly maxQueued: number; readonly dropped: () => void };

  constructor(maxQueued: number) {
    this.#limits = { maxQueued, dropped: () => this.#dropped++ };
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** Messages dropped since start: a session's queue was full, or a client's packet limit too small. */
  get dropped(): number {
    return this.#dropped;
  }

  /** The connection holding `clientId`'s session, if one does. */
  connectionOf(clientId: string): Connection<P> | undefined {
    return this.#sessions.get(clientId)?.connection;
  }

  /**
   * The session for a CONNECT: the existing one unless `cleanStart` or it has expired, else a new
   * one. `present` is CONNACK's Session Present.
   */
  open(
    clientId: string,
    cleanStart: boolean,
    expiryMs: number,
    now: number,
  ): { session: Session<P>; present: boolean } {
    let session = this.#sessions.get(clientId);
    if (session !== undefined && (cleanStart || session.expiresAt <= now)) {
      this.#discard(session);
      session = undefined;
    }
    if (session !== undefined) {
      this.#offline.delete(session);
      session.expiryMs = expiryMs;
      return { session, present: true };
    }
    session = new Session<P>(clientId, expiryMs, this.#limits);
    this.#sessions.set(clientId, session);
    return { session, present: false };
  }

  /** Its connection is gone: the session ends now, or when its expiry interval has passed. */
  release(session: Session<P>, now: number): void {
    session.detach();
    if (session.expiryMs === 0) {
      this.#discard(session);
      return;
    }
    session.expiresAt = now + session.expiryMs;
    this.#offline.add(session);
    if (session.expiresAt < this.#nextExpiry) this.#nextExpiry = session.expiresAt;
  }

  /** Ends sessions whose expiry has passed; walks the offline sessions only when one is due. */
  sweep(now: number): void {
    if (now < this.#nextExpiry) return;
    this.#nextExpiry = Number.POSITIVE_INFINITY;
    for (const session of this.#offline) {
      if (session.expiresAt <= now) this.#discard(session);
      else if (session.expiresAt < this.#nextExpiry) this.#nextExpiry = session.expiresAt;
    }
  }

  /** Records the subscription; true when the session did not have it before. */
  subscribe(session: Session<P>, filter: string, qos: 0 | 1): boolean {
    const isNew = !session.subscriptions.has(filter);
    session.subscriptions.set(filter, qos);
    let set = this.#subscribers.get(filter);
    if (set === undefined) {
      set = new Set();
      this.#subscribers.set(filter, set);
    }
    set.add(session);
    return isNew;
  }

  /** True when the session had the subscription. */
  unsubscribe(session: Session<P>, filter: string): boolean {
    if (!session.subscriptions.delete(filter)) return false;
    this.#unindex(session, filter);
    return true;
  }

  /** The retained message on `topic`, as it goes to a new subscriber (retain flag set). */
  retained(topic: string): OutboundMessage | undefined {
    return this.#retained.get(topic);
  }

  /**
   * Sends a message to every session subscribed to its topic, at the lower of its QoS and the
   * granted one. A retained message is kept for later subscribers; an empty one deletes it.
   */
  route(topic: string, payload: Buffer, qos: 0 | 1, retain: boolean): void {
    if (retain) {
      if (payload.length === 0) this.#retained.delete(topic);
      else this.#retained.set(topic, { topic, payload, qos, retain: true });
    }
    const subscribers = this.#subscribers.get(topic);
    if (subscribers === undefined) return;
    // Live deliveries carry retain 0 (spec 3.3.1.3, Retain As Published not supported).
    const live: OutboundMessage = { topic, payload, qos, retain: false };
    let atQos0: OutboundMessage | undefined;
    for (const session of subscribers) {
      const granted = session.subscriptions.get(topic) ?? 0;
      session.deliver(granted >= qos ? live : (atQos0 ??= { ...live, qos: 0 }));
    }
  }

  #discard(session: Session<P>): void {
    if (this.#sessions.get(session.clientId) === session) this.#sessions.delete(session.clientId);
    this.#offline.delete(session);
    for (const filter of session.subscriptions.keys()) this.#unindex(session, filter);
    session.subscriptions.clear();
  }

  #unindex(session: Session<P>, filter: string): void {
    const set = this.#subscribers.get(filter);
    if (set === undefined) return;
    set.delete(session);
    if (set.size === 0) this.#subscribers.delete(filter);
  }
}
