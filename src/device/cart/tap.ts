import type { CartState, TapOutcome } from './cart-types.js';
import type { Display } from './display.js';
import { readTap, type Credential, type TapReading } from './emv.js';
import type { MessageBody } from './messages.js';
import type { SealKeys } from './sealed-identify.js';
import type { CartSession } from './session.js';
import { refusalIn } from './states.js';

/** What a card at the reader needs from the cart, and nothing more. */
export interface TapHost {
  readonly deviceId: string;
  readonly display: Display;
  readonly sealKeys: SealKeys;
  state(): CartState;
  emit(body: MessageBody): Promise<unknown>;
  /** A card at the reader after the battery warning: the basket can move to another cart. */
  tapped(): void;
}

/** The part of the session a tap works on. */
export type TapSession = Pick<
  CartSession,
  'basket' | 'customer' | 'readyForCustomer' | 'start' | 'activity'
>;

/**
 * A loyalty card, payment card or app code at the reader, and the identify it sends. The
 * credential in the clear stays in RAM with the customer; only the sealed identify leaves.
 */
export class CartTap {
  constructor(
    private readonly host: TapHost,
    private readonly session: TapSession,
  ) {}

  /**
   * Wakes the cart, starts or resumes a session, and identifies the customer to it. Without a
   * seal key the customer shops as a guest: the display says identifying is unavailable and
   * nothing about the card is sent.
   */
  async tap(credential: Credential): Promise<TapOutcome> {
    const { host, session } = this;
    const refused = refusalIn(host.state());
    if (refused) return { identified: false, refused };
    const reading = readTap(credential);
    if (!reading) {
      void host.emit({ type: 'fault', code: 'nfc-error', severity: 'info', detail: 'unreadable' });
      return { identified: false, refused: 'unreadable' };
    }
    await session.readyForCustomer();
    const sessionId = session.basket?.sessionId ?? (await session.start());
    session.activity();
    const known = session.customer?.credential;
    let identified = true;
    if (!known || known.method !== reading.method || known.value !== reading.value) {
      identified = this.identify(sessionId, reading);
      if (identified) session.customer = { credential: reading };
    }
    host.tapped();
    return identified
      ? { sessionId, identified }
      : { sessionId, identified, refused: 'identify-unavailable' };
  }

  /**
   * Sends the sealed identify; false (and the display says so) without a seal key. The sealed
   * identify may wait in the flash queue while offline: it is ciphertext only the identity
   * service can open, bound to this cart and session, and it leaves flash on its PUBACK. The
   * credential in the clear stays in RAM (CustomerInRam) and is never written anywhere.
   */
  identify(sessionId: string, reading: TapReading): boolean {
    const host = this.host;
    const body = host.sealKeys.identify(host.deviceId, sessionId, reading);
    if (!body) {
      host.display.warn('identify-unavailable');
      // Perhaps the device API is back: the next tap may find a key.
      void host.sealKeys.sync();
      return false;
    }
    host.display.clearWarning('identify-unavailable');
    void host.emit(body);
    return true;
  }
}
