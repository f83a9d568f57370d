import type { CommandRequest, SessionEnd, SessionLine } from '../../contract/index.js';
import type { SyncResult } from './catalog-cache.js';
import type { CustomerInRam } from './cart-types.js';
import type { TapReading } from './emv.js';
import type { CommandBook } from '../core/command-book.js';
import { RETURNING_GREETING } from './display.js';
import { commandResponseMessage, NO_PAYMENT, type MessageBody } from './messages.js';

export type Executed = { status: 'succeeded' | 'failed' | 'rejected'; code?: string };

/** What running the cloud's commands needs from the cart, and nothing more. */
export interface CommandHost {
  readonly deviceId: string;
  readonly sessionId: string | undefined;
  customer: CustomerInRam | undefined;
  /** The cart's own clock (skew included): expiry is judged by it. */
  deviceNow(): number;
  emit(body: MessageBody, persistent?: boolean): Promise<unknown>;
  flush(timeoutMs: number): Promise<boolean>;
  reboot(resetReason: 'software'): Promise<void>;
  sleep(): Promise<void>;
  wake(): Promise<void>;
  pause(): Promise<void>;
  endSession(status: SessionEnd['status'], payment: SessionEnd['payment']): Promise<void>;
  startSession(): Promise<string>;
  /** Identifies the customer to a session (sealed); false when the cart cannot identify. */
  identify(sessionId: string, credential: TapReading): boolean;
  syncCatalog(): Promise<SyncResult>;
  greet(text: string): void;
  /** Lines carried over from a session on another cart (after a battery swap). */
  carry(lines: readonly SessionLine[]): Promise<void>;
  /** Redraws the basket (and the pre-shop list with it). */
  showBasket(): void;
  /** Adds a fleet root (CA rotation); `code` says why it was refused. */
  trustCa(generation: number, pem: string): Promise<Executed>;
}

const NEEDS_SESSION = ['pause-session', 'cancel-session', 'restart-session', 'attach-customer'];

/**
 * The cloud's commands: each runs at most once (the CommandBook), is answered with a
 * command-response, and a reboot happens only after that answer has had a moment to go out.
 */
export class CartCommands {
  constructor(
    private readonly book: CommandBook,
    private readonly host: CommandHost,
  ) {}

  async onCommand(request: CommandRequest): Promise<void> {
    const host = this.host;
    if (request.device_id !== host.deviceId) return;
    const answer = await this.book.handle(request, host.deviceNow(), (r) => this.#execute(r));
    await host.emit(commandResponseMessage(request.command_id, answer));
    if (request.name === 'reboot' && answer.status === 'succeeded' && !answer.duplicate) {
      await host.flush(1000);
      await host.reboot('software');
    }
  }

  async #execute(request: CommandRequest): Promise<Executed> {
    const host = this.host;
    const args = request.args ?? {};
    if (NEEDS_SESSION.includes(request.name)) {
      if (host.sessionId === undefined) return { status: 'rejected', code: 'no-session' };
      if (args.session_id !== undefined && args.session_id !== host.sessionId) {
        return { status: 'rejected', code: 'session-mismatch' };
      }
    }
    switch (request.name) {
      case 'ping':
      case 'reboot':
        return { status: 'succeeded' };
      case 'sleep':
        await host.sleep();
        return { status: 'succeeded' };
      case 'wake':
        await host.wake();
        return { status: 'succeeded' };
      case 'pause-session':
        await host.pause();
        return { status: 'succeeded' };
      case 'cancel-session':
        await host.endSession('voided', NO_PAYMENT);
        return { status: 'succeeded' };
      case 'restart-session': {
        const credential = host.customer?.credential;
        await host.endSession('voided', NO_PAYMENT);
        const sessionId = await host.startSession();
        // The new session needs its own identify: a sealed credential is bound to its session.
        if (credential && host.identify(sessionId, credential)) host.customer = { credential };
        return { status: 'succeeded' };
      }
      case 'sync-catalog': {
        const result = await host.syncCatalog();
        if (result === 'updated' || result === 'unchanged') return { status: 'succeeded' };
        return {
          status: 'failed',
          code: result === 'no-source' ? 'no-catalog-source' : 'catalog-unavailable',
        };
      }
      case 'attach-customer':
        return this.#attachCustomer(args);
      case 'trust-ca':
        if (args.ca_generation === undefined || args.ca_root_pem === undefined) {
          return { status: 'rejected', code: 'missing-args' };
        }
        return host.trustCa(args.ca_generation, args.ca_root_pem);
      case 'set-interval':
        // A cart reports on its health timers, set through the shadow; it has no reading interval.
        return { status: 'rejected', code: 'unsupported' };
    }
  }

  /**
   * The cloud's answer to an identify: who (in RAM only), the pre-shop list (RAM only) and,
   * after a swap, the basket.
   */
  async #attachCustomer(args: NonNullable<CommandRequest['args']>): Promise<Executed> {
    const host = this.host;
    host.customer = {
      ...host.customer,
      ...(args.customer_id ? { customerId: args.customer_id } : {}),
      ...(args.first_name ? { firstName: args.first_name } : {}),
      ...(args.shopping_list ? { shoppingList: args.shopping_list } : {}),
    };
    const name = host.customer.firstName;
    host.greet(name ? `Hello, ${name}` : RETURNING_GREETING);
    await host.carry(args.carried_lines ?? []);
    if (args.shopping_list) host.showBasket();
    return { status: 'succeeded' };
  }
}
