import type { CheckoutResult, DeviceMessage, SessionEnd } from '../../contract/index.js';
import type { CartLog, CheckoutOutcome } from './cart-types.js';
import type { DeviceApi } from './device-api-client.js';
import type { Display } from './display.js';
import type { Credential, StoreTerminal } from './emv.js';
import type { CartRejection } from './fleet-cart.js';
import type { MessageBody } from './messages.js';
import type { SignedMessage } from './outbox.js';

/** What paying needs from the cart, and nothing more. */
export interface CheckoutHost {
  /** The open session's id and total; undefined without one. */
  basket(): { readonly sessionId: string; readonly totalCents: number } | undefined;
  readonly terminal: StoreTerminal;
  readonly display: Display;
  readonly api: DeviceApi | undefined;
  readonly log: CartLog | undefined;
  /** Refused in this state (off, dead, parked outside, maintenance). */
  refused(): boolean;
  /** Wakes the cart and resumes a held session. */
  readyForCustomer(): Promise<boolean>;
  /** A link to the broker is up. */
  online(): boolean;
  emit(body: MessageBody): Promise<unknown>;
  /** Ends the session; its session-end is queued on MQTT (in flash, or RAM if not persistent). */
  endSession(
    status: SessionEnd['status'],
    payment: SessionEnd['payment'],
    persistent: boolean,
  ): Promise<void>;
  /** Ends the session with its session-end signed but held: the caller sends it. */
  endSessionHeld(
    status: SessionEnd['status'],
    payment: SessionEnd['payment'],
  ): Promise<SignedMessage | undefined>;
  /** Queues a held message on MQTT store-and-forward (RAM); false when power was lost since. */
  queue(signed: SignedMessage): Promise<boolean>;
  /** The platform has the message (observers hear it as delivered). */
  delivered(message: DeviceMessage): void;
  rejected(rejection: CartRejection): void;
}

const SEE_STAFF: readonly CheckoutResult['outcome'][] = ['declined', 'amount-mismatch', 'not-paid'];

/**
 * Checkout: the store's EMV terminal authorizes over BLE, then the cart hands its session-end to
 * the platform. Online with a device API that is the synchronous path: the signed session-end
 * posted over HTTPS, the platform's verdict shown in the same round trip. When that path fails
 * the session-end waits on MQTT like any other message. Offline the store's terminal takes the
 * payment later (deferred).
 */
export class CartCheckout {
  constructor(private readonly host: CheckoutHost) {}

  /** Payment at the store's EMV terminal; offline the terminal takes it later (deferred). */
  async checkout(card: Credential & { kind: 'payment' }): Promise<CheckoutOutcome> {
    const host = this.host;
    if (host.refused() || !host.basket()) return { status: 'refused', totalCents: 0 };
    await host.readyForCustomer();
    const basket = host.basket();
    if (!basket) return { status: 'refused', totalCents: 0 };
    const { sessionId, totalCents } = basket;
    if (!host.online()) return this.payAtStoreTerminal();
    const auth = host.terminal.authorize(totalCents, card);
    if (auth.status === 'declined') {
      host.display.warn('payment-declined');
      host.display.warn('use-store-terminal');
      void host.emit({
        type: 'fault',
        code: 'payment-failure',
        severity: 'warning',
        session_id: sessionId,
        detail: auth.code,
      });
      return { status: 'declined', sessionId, totalCents };
    }
    const payment: SessionEnd['payment'] = {
      method: 'store-terminal',
      status: 'authorized',
      auth_token: auth.authToken,
      amount_cents: totalCents,
    };
    const authorized = { status: 'authorized', sessionId, totalCents } as const;
    // The authorization token is a payment credential: like an identify before issue 6, the
    // session-end carrying it never touches flash, on either path.
    if (!host.api) {
      await host.endSession('complete', payment, false);
      return { ...authorized, delivery: 'queued' };
    }
    const held = await host.endSessionHeld('complete', payment);
    if (!held) return authorized;
    return { ...authorized, ...(await this.#deliver(held, host.api)) };
  }

  /** The customer pays at the store's own terminal: the cart records a deferred payment. */
  async payAtStoreTerminal(): Promise<CheckoutOutcome> {
    const host = this.host;
    const basket = host.basket();
    if (!basket) return { status: 'refused', totalCents: 0 };
    const { sessionId, totalCents } = basket;
    await host.endSession(
      'complete',
      { method: 'store-terminal', status: 'deferred', amount_cents: totalCents },
      true,
    );
    host.display.warn('use-store-terminal');
    return { status: 'deferred', sessionId, totalCents };
  }

  /**
   * Sends the session-end exactly once: accepted (or refused) over HTTPS, or else queued on
   * MQTT, never both on purpose. When a post times out after the platform stored it, the MQTT
   * copy is the same frame (same counter, same signature) and the cloud's dedup on (device,
   * counter) keeps one; the broker answers the copy with a `replay` refusal, which means nothing
   * was lost.
   */
  async #deliver(
    held: SignedMessage,
    api: DeviceApi,
  ): Promise<Pick<CheckoutOutcome, 'delivery' | 'result'>> {
    const host = this.host;
    const message = held.message;
    const answer = await api
      .checkout(held.payload)
      .catch((error: unknown) => ({ status: 'unavailable' as const, detail: String(error) }));
    if (answer.status === 'result' && answersThis(answer.result, message)) {
      host.delivered(message);
      this.#show(answer.result);
      return { delivery: 'checkout', result: answer.result };
    }
    if (answer.status === 'rejected') {
      // Like a refusal on the error topic: counted, logged, not sent again (it would be refused
      // again), and the customer is sent to staff, since the payment is in limbo.
      host.rejected({
        reason: answer.error,
        counter: message.counter,
        message_type: message.type,
        detail: answer.message.slice(0, 200),
        via: 'device-api',
      });
      if (host.basket() === undefined) host.display.warn('see-staff');
      return { delivery: 'rejected' };
    }
    host.log?.warn(
      {
        counter: message.counter,
        detail: answer.status === 'unavailable' ? answer.detail : 'an answer for another message',
      },
      'checkout over the device API failed; the session-end goes over MQTT',
    );
    return { delivery: (await host.queue(held)) ? 'queued' : 'lost' };
  }

  /** The verdict on the display, unless the next customer has started or the cart went off. */
  #show(result: CheckoutResult): void {
    const display = this.host.display;
    if (this.host.basket() !== undefined || this.host.refused()) return;
    if (result.outcome === 'paid') {
      display.show({
        screen: 'receipt',
        ...(result.receipt_id ? { receiptId: result.receipt_id } : {}),
      });
    } else if (SEE_STAFF.includes(result.outcome)) {
      display.warn('see-staff');
    } else {
      // payment-unavailable: the platform holds the session-end and reconciles the payment
      // later; for the customer the terminal's authorization stands.
      display.show({ screen: 'thank-you' });
    }
  }
}

/** A result for another session or counter is no answer to this post. */
function answersThis(result: CheckoutResult, message: DeviceMessage): boolean {
  return (
    message.type === 'session-end' &&
    result.session_id === message.session_id &&
    result.counter === message.counter
  );
}
