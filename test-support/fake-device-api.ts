// An in-memory device API for cart unit tests: the identity service's seal key (whose private
// half a test uses to open identify credentials) and the synchronous checkout, which checks the
// posted frame the way the platform would and records it. A test can make either fail.
import { createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import {
  credentialAad,
  openCredential,
  rawPublicKey,
  splitFrame,
  validateDeviceMessage,
  verifyBody,
  type CatalogSnapshot,
  type CheckoutResult,
  type Identify,
  type SealKey,
  type SessionEnd,
} from '../src/contract/index.js';
import {
  checkoutAnswer,
  parseSealKey,
  type CatalogFetch,
  type CheckoutAnswer,
  type DeviceApi,
} from '../src/device/cart/device-api-client.js';

/** How the next checkout posts fail, as the HTTPS client would report it. */
export type CheckoutFailure =
  | 'network'
  | 'server-error'
  /** The platform stores the session-end, but its answer never reaches the cart. */
  | 'lost-answer'
  | { readonly error: string; readonly message: string };

export class FakeDeviceApi implements DeviceApi {
  /** The identity service's X25519 private key, raw: what opens identify credentials. */
  readonly privateKey: Uint8Array;
  readonly document: SealKey;
  /** Every checkout post, accepted or not, with the session-end it carried if it parsed. */
  readonly posts: { readonly frame: Uint8Array; readonly message: SessionEnd | undefined }[] = [];
  /** Session-ends the platform holds from checkout, once per (device, counter). */
  readonly accepted: SessionEnd[] = [];
  /** False: the seal-key route fails (device API unreachable, or the route is missing). */
  serveSealKey = true;
  checkoutFailure: CheckoutFailure | undefined;
  outcome: CheckoutResult['outcome'] = 'paid';
  catalog: CatalogSnapshot | undefined;
  /** While set, checkout posts wait for it before they answer (a slow network). */
  checkoutGate: Promise<void> | undefined;
  readonly #deviceKeys = new Map<string, KeyObject>();
  readonly #results = new Map<string, CheckoutResult>();

  constructor(kid = 'seal-test-1') {
    const pair = generateKeyPairSync('x25519');
    const pkcs8 = pair.privateKey.export({ format: 'der', type: 'pkcs8' });
    // RFC 8410 PKCS#8 of X25519: the raw 32 bytes are the last 32.
    this.privateKey = new Uint8Array(pkcs8.subarray(pkcs8.length - 32));
    this.document = {
      schema_version: 1,
      type: 'seal-key',
      kid,
      alg: 'x25519-hkdf-sha256-a256gcm',
      public_key: rawPublicKey(pair.publicKey).toString('base64url'),
    };
  }

  /** A device whose frames checkout accepts: mutual TLS and the registry, in the real one. */
  registerDevice(deviceId: string, publicKeySpki: Uint8Array): void {
    this.#deviceKeys.set(
      deviceId,
      createPublicKey({ key: Buffer.from(publicKeySpki), format: 'der', type: 'spki' }),
    );
  }

  /** The identify's credential in the clear, as the identity service opens it; or undefined. */
  open(identify: Identify, binding: Partial<{ deviceId: string; sessionId: string }> = {}) {
    const aad = credentialAad(
      binding.deviceId ?? identify.device_id,
      binding.sessionId ?? identify.session_id,
      identify.method,
    );
    return openCredential(this.privateKey, identify.credential, aad);
  }

  async fetch(cachedVersion: string | undefined): Promise<CatalogFetch> {
    await Promise.resolve();
    if (!this.catalog) throw new Error('no catalog here');
    return cachedVersion === this.catalog.version
      ? { status: 'not-modified' }
      : { status: 'ok', snapshot: this.catalog };
  }

  async sealKey(): Promise<SealKey> {
    await Promise.resolve();
    if (!this.serveSealKey) throw new Error('seal key: connect ECONNREFUSED');
    return parseSealKey(new TextEncoder().encode(JSON.stringify(this.document)));
  }

  async checkout(frame: Uint8Array): Promise<CheckoutAnswer> {
    await new Promise((r) => setImmediate(r));
    const message = this.#parse(frame);
    this.posts.push({
      frame: new Uint8Array(frame),
      message: message.ok ? message.value : undefined,
    });
    await this.checkoutGate;
    const failure = this.checkoutFailure;
    if (failure === 'network') return { status: 'unavailable', detail: 'connect ECONNREFUSED' };
    if (failure === 'server-error') return checkoutAnswer(503, json({ error: 'unavailable' }));
    if (typeof failure === 'object') return checkoutAnswer(400, json(failure));
    if (!message.ok) return checkoutAnswer(400, json(message.refusal));
    const result = this.#settle(message.value);
    if (failure === 'lost-answer')
      return { status: 'unavailable', detail: 'timed out after 5000 ms' };
    return checkoutAnswer(200, json(result));
  }

  /** Stores a session-end once per (device, counter); a second post answers the first result. */
  #settle(end: SessionEnd): CheckoutResult {
    const key = `${end.device_id}/${end.counter}`;
    const seen = this.#results.get(key);
    if (seen) return seen;
    this.accepted.push(end);
    const result: CheckoutResult = {
      schema_version: 1,
      type: 'checkout-result',
      session_id: end.session_id,
      counter: end.counter,
      outcome: this.outcome,
      ...(this.outcome === 'paid'
        ? {
            paid_cents: end.payment.amount_cents,
            receipt_id: `rcpt_${randomBytes(16).toString('hex')}`,
          }
        : {}),
      reconciled_at: new Date().toISOString(),
    };
    this.#results.set(key, result);
    return result;
  }

  #parse(
    frame: Uint8Array,
  ): { ok: true; value: SessionEnd } | { ok: false; refusal: { error: string; message: string } } {
    const parts = splitFrame(frame);
    if (!parts) return { ok: false, refusal: { error: 'unsigned', message: 'no signature' } };
    let body: { device_id?: unknown } | undefined;
    try {
      body = JSON.parse(new TextDecoder().decode(parts.body)) as typeof body;
    } catch {
      return { ok: false, refusal: { error: 'json', message: 'not JSON' } };
    }
    const key = this.#deviceKeys.get(String(body?.device_id));
    if (!key) return { ok: false, refusal: { error: 'unknown-device', message: 'who is this' } };
    if (!verifyBody(parts.body, parts.signature, key)) {
      return { ok: false, refusal: { error: 'signature', message: 'bad signature' } };
    }
    const checked = validateDeviceMessage('session-end', body);
    if (!checked.ok || checked.value.type !== 'session-end') {
      return {
        ok: false,
        refusal: { error: 'schema', message: checked.ok ? 'type' : checked.detail },
      };
    }
    return { ok: true, value: checked.value };
  }
}

function json(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}
