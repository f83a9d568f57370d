import Type, { type Static } from 'typebox';
import { cloudEnvelope, Code, SessionId, Timestamp, UUID_PATTERN, Uuid } from '../envelope.js';
import { MAX_SESSION_LINES, MAX_SHOPPING_LIST_ITEMS } from '../limits.js';
import { SessionLine } from './session-end.js';

export const COMMAND_NAMES = [
  'ping',
  'reboot',
  'sleep',
  'wake',
  'pause-session',
  'cancel-session',
  'restart-session',
  'sync-catalog',
  'attach-customer',
  'trust-ca',
  'set-interval',
] as const;

/**
 * A given name as a display shows it: up to 40 characters, none of them a control character, a
 * digit or markup, so the field cannot smuggle a number or a script to the display. Written
 * without \p classes, which embedded regex engines do not know.
 */
export const FIRST_NAME_PATTERN = '^[^\\u0000-\\u001F\\u007F0-9<>{}|@/\\\\]{1,40}$';

/**
 * A command for one device on cmd/<device_id>/request. The device executes each command_id at
 * most once and ignores a command past expires_at. `attach-customer` is how the cloud answers an
 * identify: the session-scoped customer id, a first name to greet a known customer with, and,
 * when the customer moved from a cart whose battery failed, the basket that cart held.
 */
export const CommandRequest = Type.Object(
  {
    ...cloudEnvelope('command'),
    command_id: Uuid,
    name: Type.Enum([...COMMAND_NAMES]),
    expires_at: Timestamp,
    args: Type.Optional(
      Type.Object(
        {
          session_id: Type.Optional(SessionId),
          reason: Type.Optional(Code),
          customer_id: Type.Optional(
            Type.String({
              pattern: UUID_PATTERN,
              description:
                'attach-customer: the session-scoped customer id (random, good for this session only).',
            }),
          ),
          first_name: Type.Optional(
            Type.String({
              pattern: FIRST_NAME_PATTERN,
              description:
                'attach-customer: shown on the display for a known customer, held in memory only.',
            }),
          ),
          from_session_id: Type.Optional(SessionId),
          shopping_list: Type.Optional(
            Type.Array(Type.String({ pattern: '^[A-Za-z0-9._-]{1,40}$' }), {
              maxItems: MAX_SHOPPING_LIST_ITEMS,
              uniqueItems: true,
              description:
                "attach-customer: SKUs on the customer's pre-shop list; the cart marks them as they are scanned.",
            }),
          ),
          ca_generation: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: 1000,
              description: 'trust-ca: the fleet CA generation whose root follows.',
            }),
          ),
          ca_root_pem: Type.Optional(
            Type.String({
              pattern:
                '^-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\\r\\n]+-----END CERTIFICATE-----\\r?\\n?$',
              maxLength: 4096,
              description:
                'trust-ca: the root certificate of a new CA generation; during a rotation the device trusts old and new roots.',
            }),
          ),
          interval_s: Type.Optional(
            Type.Integer({
              minimum: 10,
              maximum: 86400,
              description: "set-interval: seconds between a sensor's readings.",
            }),
          ),
          carried_lines: Type.Optional(
            Type.Array(SessionLine, {
              maxItems: MAX_SESSION_LINES,
              description:
                'attach-customer after a battery swap: the basket of the session this one continues.',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type CommandRequest = Static<typeof CommandRequest>;
