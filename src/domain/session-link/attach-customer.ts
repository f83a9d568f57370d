import { SCHEMA_VERSION, validateDocument, type CommandRequest } from '../../contract/index.js';
import type { CarriedBasket, SessionLink } from '../../stores/entities/entity-store.js';
import { commandIdFor } from './command-id.js';

/** Long enough for a cart that lost its link for a moment; short enough that a stale one dies. */
export const ATTACH_CUSTOMER_TTL_MS = 5 * 60_000;

export type AttachKind = 'identify' | 'carry';

/** What the identity service adds to an identify's answer for a known customer. */
export interface Greeting {
  /** Decrypted (and audited) from the vault; shown on the display, held in RAM only. */
  readonly firstName?: string;
  /** SKUs of the customer's pre-shop list for this store. */
  readonly shoppingList?: readonly string[];
}

/**
 * The attach-customer command for one cause. `identify`: the session-scoped customer id, one
 * command per identify event (a customer who taps again after a reboot gets a new one). `carry`:
 * the basket of one transferred session, one command per (session, transferred session) whatever
 * made it known, so the basket arrives once.
 */
export function attachCustomer(
  link: SessionLink,
  cause:
    | { kind: 'identify'; counter: number; greeting?: Greeting }
    | { kind: 'carry'; basket: CarriedBasket },
  now: number,
): CommandRequest {
  const key =
    cause.kind === 'identify' ? `identify/${cause.counter}` : `carry/${cause.basket.fromSessionId}`;
  const command: CommandRequest = {
    schema_version: SCHEMA_VERSION,
    device_id: link.deviceId,
    type: 'command',
    ts: new Date(now).toISOString(),
    command_id: commandIdFor(link.sessionId, key),
    name: 'attach-customer',
    expires_at: new Date(now + ATTACH_CUSTOMER_TTL_MS).toISOString(),
    args: {
      session_id: link.sessionId,
      customer_id: link.customerRef,
      ...(cause.kind === 'carry'
        ? { from_session_id: cause.basket.fromSessionId, carried_lines: cause.basket.lines }
        : {}),
      ...(cause.kind === 'identify' && cause.greeting?.firstName
        ? { first_name: cause.greeting.firstName }
        : {}),
      ...(cause.kind === 'identify' && cause.greeting?.shoppingList?.length
        ? { shopping_list: [...cause.greeting.shoppingList] }
        : {}),
    },
  };
  // Built from stored, validated data; a failure here is a bug, not a device's fault.
  const checked = validateDocument<CommandRequest>('command', command);
  if (!checked.ok)
    throw new Error(`attach-customer does not match the contract: ${checked.detail}`);
  return command;
}
