import type { DeviceMessage } from '../../contract/index.js';
import type { CartObserver, CartRejection } from '../cart/fleet-cart.js';
import { summarize, type LatencySummary } from './percentiles.js';

export type SessionEndStatus = 'complete' | 'abandoned' | 'voided' | 'transferred';
export type PaymentStatus = 'authorized' | 'declined' | 'not-attempted' | 'deferred';

/** What the carts did in one session, by the messages they signed. */
export interface LedgerSession {
  readonly sessionId: string;
  readonly deviceId: string;
  /** Device time of the first message of the session (ms since the epoch, skew included). */
  readonly firstTs: number;
  readonly starts: number;
  readonly scans: number;
  readonly identifies: number;
  readonly end: {
    readonly status: SessionEndStatus;
    readonly payment: PaymentStatus;
    readonly amountCents: number;
  } | null;
}

/**
 * What the platform should hold for a session, given which of its messages the cloud refused.
 * `exists` is false when every message of the session was refused.
 */
export interface ExpectedSession {
  readonly sessionId: string;
  readonly deviceId: string;
  readonly firstTs: number;
  readonly exists: boolean;
  /** The accepted session-end's status; 'open' when none was accepted (active or paused). */
  readonly status: SessionEndStatus | 'open';
  readonly scanCount: number;
  readonly payment: {
    readonly status: 'authorized' | 'declined' | 'deferred';
    readonly amountCents: number;
  } | null;
  /**
   * Refusals on this cart that named no counter (a payload too broken to read one): any of them
   * may have been one of this session's messages, so a count short by up to this many is not
   * proof of a lost message.
   */
  readonly unattributedRejects: number;
}

export interface LedgerCounts {
  readonly sessions: number;
  /** Sessions ended 'transferred': the customer went on on another cart (counted once there). */
  readonly transferred: number;
  readonly scans: number;
  readonly identifies: number;
  readonly payments: number;
  readonly paymentsByStatus: Readonly<Record<string, number>>;
  readonly sessionsByStatus: Readonly<Record<string, number>>;
  readonly messagesCreated: number;
  readonly messagesDelivered: number;
  /** Lost from a cart's RAM queue by a power loss before a link returned. */
  readonly messagesLost: number;
  /** Deliveries of messages that had waited for a link (store-and-forward replays). */
  readonly replays: number;
  /** By reason: the contract's reject reasons, and a device API's 400 error codes. */
  readonly rejects: Readonly<Record<string, number>>;
  readonly rejectsTotal: number;
  readonly scanAckOnline: LatencySummary;
  readonly scanAckOffline: LatencySummary;
}

interface MutableSession {
  sessionId: string;
  deviceId: string;
  firstTs: number;
  starts: number;
  scans: number;
  identifies: number;
  end: LedgerSession['end'];
  endCounter: number;
  /** Counters of this session's messages by type, to undo a refused one. */
  refusedScans: number;
  refusedOther: number;
  refusedEnd: boolean;
}

/**
 * The simulator's record of what every cart created, built only from CartObserver callbacks:
 * the carts never report their own totals, so the ledger stays an independent witness.
 */
export class Ledger {
  readonly #sessions = new Map<string, MutableSession>();
  /** (device, counter) of each session message, to attribute a refusal to its session. */
  readonly #bySessionCounter = new Map<
    string,
    { session: MutableSession; type: DeviceMessage['type']; refused: boolean }
  >();
  readonly #unattributed = new Map<string, number>();
  readonly #rejects: Record<string, number> = {};
  readonly #ackOnline: number[] = [];
  readonly #ackOffline: number[] = [];
  #created = 0;
  #delivered = 0;
  #lost = 0;
  #replays = 0;

  /** The observer to hand one cart; the device id attributes what it reports. */
  observer(deviceId: string): CartObserver {
    return {
      created: (message) => this.#onCreated(deviceId, message),
      delivered: (_message, replayed) => {
        this.#delivered++;
        if (replayed) this.#replays++;
      },
      rejected: (feedback) => this.#onRejected(deviceId, feedback),
      corrupted: (message) => this.#undo(deviceId, message.counter),
      lost: (message) => {
        this.#lost++;
        this.#undo(deviceId, message.counter);
      },
      scanAcknowledged: (realMs, online) =>
        (online ? this.#ackOnline : this.#ackOffline).push(realMs),
    };
  }

  #onCreated(deviceId: string, message: DeviceMessage): void {
    this.#created++;
    if (!('session_id' in message) || typeof message.session_id !== 'string') return;
    // A health message names the session it was sent in but does not make one: it only counts
    // for existence, which its scans and start already settle.
    if (message.type === 'health' || message.type === 'fault') return;
    const id = message.session_id;
    let session = this.#sessions.get(id);
    if (!session) {
      session = {
        sessionId: id,
        deviceId,
        firstTs: Date.parse(message.ts),
        starts: 0,
        scans: 0,
        identifies: 0,
        end: null,
        endCounter: -1,
        refusedScans: 0,
        refusedOther: 0,
        refusedEnd: false,
      };
      this.#sessions.set(id, session);
    }
    session.firstTs = Math.min(session.firstTs, Date.parse(message.ts));
    switch (message.type) {
      case 'session-start':
        session.starts++;
        break;
      case 'scan':
        session.scans++;
        break;
      case 'identify':
        session.identifies++;
        break;
      case 'session-end':
        if (message.counter > session.endCounter) {
          session.endCounter = message.counter;
          session.end = {
            status: message.status,
            payment: message.payment.status,
            amountCents: message.payment.amount_cents,
          };
        }
        break;
    }
    this.#bySessionCounter.set(key(deviceId, message.counter), {
      session,
      type: message.type,
      refused: false,
    });
  }

  #onRejected(deviceId: string, feedback: CartRejection): void {
    this.#rejects[feedback.reason] = (this.#rejects[feedback.reason] ?? 0) + 1;
    // A replay refusal is a second copy of a message the cloud already holds: nothing was lost.
    if (feedback.reason === 'replay') return;
    if (feedback.counter === undefined) {
      this.#unattributed.set(deviceId, (this.#unattributed.get(deviceId) ?? 0) + 1);
      return;
    }
    this.#undo(deviceId, feedback.counter);
  }

  /** The cloud will never hold this message (refused, or lost from a cart's RAM). */
  #undo(deviceId: string, counter: number): void {
    const entry = this.#bySessionCounter.get(key(deviceId, counter));
    if (!entry || entry.refused) return;
    entry.refused = true;
    if (entry.type === 'scan') entry.session.refusedScans++;
    else if (entry.type === 'session-end' && counter === entry.session.endCounter)
      entry.session.refusedEnd = true;
    else entry.session.refusedOther++;
  }

  sessions(): LedgerSession[] {
    return [...this.#sessions.values()].map(
      ({ sessionId, deviceId, firstTs, starts, scans, identifies, end }) => ({
        sessionId,
        deviceId,
        firstTs,
        starts,
        scans,
        identifies,
        end,
      }),
    );
  }

  /** What the platform should show for each session, refusals taken into account. */
  expected(): ExpectedSession[] {
    return [...this.#sessions.values()].map((s) => {
      const messages = s.starts + s.scans + s.identifies + (s.end ? 1 : 0);
      const refused = s.refusedScans + s.refusedOther + (s.refusedEnd ? 1 : 0);
      const end = s.refusedEnd ? null : s.end;
      return {
        sessionId: s.sessionId,
        deviceId: s.deviceId,
        firstTs: s.firstTs,
        exists: messages > refused,
        status: end?.status ?? 'open',
        scanCount: s.scans - s.refusedScans,
        payment:
          end && end.payment !== 'not-attempted'
            ? { status: end.payment, amountCents: end.amountCents }
            : null,
        unattributedRejects: this.#unattributed.get(s.deviceId) ?? 0,
      };
    });
  }

  counts(): LedgerCounts {
    const sessionsByStatus: Record<string, number> = {};
    const paymentsByStatus: Record<string, number> = {};
    let scans = 0;
    let identifies = 0;
    let payments = 0;
    let transferred = 0;
    for (const s of this.#sessions.values()) {
      scans += s.scans;
      identifies += s.identifies;
      const status = s.end?.status ?? 'open';
      sessionsByStatus[status] = (sessionsByStatus[status] ?? 0) + 1;
      if (status === 'transferred') transferred++;
      if (s.end && s.end.payment !== 'not-attempted') {
        payments++;
        paymentsByStatus[s.end.payment] = (paymentsByStatus[s.end.payment] ?? 0) + 1;
      }
    }
    return {
      sessions: this.#sessions.size,
      transferred,
      scans,
      identifies,
      payments,
      paymentsByStatus,
      sessionsByStatus,
      messagesCreated: this.#created,
      messagesDelivered: this.#delivered,
      messagesLost: this.#lost,
      replays: this.#replays,
      rejects: { ...this.#rejects },
      rejectsTotal: Object.values(this.#rejects).reduce((a, b) => a + b, 0),
      scanAckOnline: summarize(this.#ackOnline),
      scanAckOffline: summarize(this.#ackOffline),
    };
  }
}

const key = (deviceId: string, counter: number) => `${deviceId}\u0000${counter}`;
