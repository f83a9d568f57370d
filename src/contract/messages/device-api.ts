import Type, { type Static } from 'typebox';
import { Code, Counter, SessionId, Timestamp } from '../envelope.js';

/** The device API: HTTPS with the device's own certificate, for what does not fit MQTT. */
export const DEVICE_API_PATHS = {
  /** GET: the store's CatalogSnapshot; send If-None-Match with the cached version. */
  catalog: '/v1/device/catalog',
  /** GET: the identity service's SealKey, which identify credentials are sealed to. */
  sealKey: '/v1/device/seal-key',
  /**
   * POST: checkout, the synchronous path. The body is the signed session-end exactly as it would
   * be published (JSON body then the 64-byte signature, application/octet-stream); the answer is
   * a CheckoutResult in the same round trip, or 400 with the reason. Posting the same session-end
   * again answers the same result and stores nothing twice.
   */
  checkout: '/v1/device/checkout',
  /**
   * POST `{"nonce": "<16–64 base64url chars>"}`: the server-time challenge of an OTA update. The
   * answer is a ServerTime echoing the nonce; over the device's mutual-TLS connection that makes
   * it fresh and the platform's, so the cart judges a manifest's validity window by it and never
   * by its own clock.
   */
  serverTime: '/v1/device/time',
  /**
   * GET `<firmware>/<image id>?expires=<ms>&sig=<hex>`: a firmware image, through the short-lived
   * signed URL an ota-job carries (mutual TLS as well). An expired or altered URL is a 403.
   */
  firmware: '/v1/device/firmware',
} as const;

/** The server-time challenge's nonce: random, base64url. */
export const SERVER_TIME_NONCE_PATTERN = '^[A-Za-z0-9_-]{16,64}$';

/** The platform's answer to a server-time challenge. */
export const ServerTime = Type.Object(
  {
    schema_version: Type.Literal(1),
    type: Type.Literal('server-time'),
    nonce: Type.String({ pattern: SERVER_TIME_NONCE_PATTERN }),
    server_time: Timestamp,
  },
  { additionalProperties: false },
);
export type ServerTime = Static<typeof ServerTime>;

/** The public half of the key carts seal identify credentials to; rotated by kid. */
export const SealKey = Type.Object(
  {
    schema_version: Type.Literal(1),
    type: Type.Literal('seal-key'),
    kid: Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$' }),
    alg: Type.Literal('x25519-hkdf-sha256-a256gcm'),
    /** Raw X25519 public key, base64url (32 bytes). */
    public_key: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' }),
  },
  { additionalProperties: false },
);
export type SealKey = Static<typeof SealKey>;

/**
 * The platform's answer to a checkout: what the payment service made of the terminal's
 * authorization, and the receipt it signed. `payment-unavailable`: the session-end is stored and
 * will be reconciled later; the cart need not send it again.
 */
export const CheckoutResult = Type.Object(
  {
    schema_version: Type.Literal(1),
    type: Type.Literal('checkout-result'),
    session_id: SessionId,
    counter: Counter,
    outcome: Type.Enum(['paid', 'declined', 'amount-mismatch', 'not-paid', 'payment-unavailable']),
    paid_cents: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000 })),
    /** The receipt's id in the blob store; the customer's app shows it. */
    receipt_id: Type.Optional(Type.String({ pattern: '^rcpt_[a-f0-9]{32}$' })),
    reason: Type.Optional(Code),
    reconciled_at: Timestamp,
  },
  { additionalProperties: false },
);
export type CheckoutResult = Static<typeof CheckoutResult>;
