import { request } from 'node:https';
import {
  DEVICE_API_PATHS,
  validateDocument,
  type CatalogSnapshot,
  type CheckoutResult,
  type SealKey,
  type ServerTime,
} from '../../contract/index.js';
import type { DeviceCredentials } from '../link/device-link.js';
import { SoftwareKeystore } from '../secure-element/software-keystore.js';

/** What a catalog request came back with. */
export type CatalogFetch =
  | { readonly status: 'not-modified' }
  | { readonly status: 'ok'; readonly snapshot: CatalogSnapshot };

/** Gets the store's catalog snapshot; `cachedVersion` goes out as If-None-Match. */
export interface CatalogFetcher {
  fetch(cachedVersion: string | undefined): Promise<CatalogFetch>;
}

/**
 * How a checkout post ended. `unavailable` covers everything that says nothing about the
 * session-end itself (no route, a timeout, a 5xx, an answer that is not a CheckoutResult): the
 * cart then sends it over MQTT instead. Only `rejected` (400) means the platform refused it.
 */
export type CheckoutAnswer =
  | { readonly status: 'result'; readonly result: CheckoutResult }
  | { readonly status: 'rejected'; readonly error: string; readonly message: string }
  | { readonly status: 'unavailable'; readonly detail: string };

/** The device API as the cart uses it: catalog, the identity service's seal key, checkout. */
export interface DeviceApi extends CatalogFetcher {
  /** The current seal key, validated; rejects when it cannot be had. */
  sealKey(): Promise<SealKey>;
  /** Posts a signed session-end frame; never rejects (a failure is `unavailable`). */
  checkout(frame: Uint8Array): Promise<CheckoutAnswer>;
  /** The OTA server-time challenge: POSTs the nonce, answers the validated ServerTime. */
  serverTime?(nonce: string): Promise<ServerTime>;
  /** GETs a firmware image through an ota-job's signed URL; rejects on anything but a 200. */
  firmware?(url: string): Promise<Uint8Array>;
  /** The fleet roots changed (a CA rotation): later connections verify the server with these. */
  trust?(trustPem: string): void;
}

/** The largest image an OTA manifest may describe (OtaManifest.size). */
const MAX_IMAGE_BYTES = 64 * 1024 * 1024;

export interface DeviceApiOptions {
  /** Real ms for a catalog or seal-key request (default 10 s). */
  readonly timeoutMs?: number;
  /** Real ms for a checkout: the customer is waiting at the exit (default 5 s). */
  readonly checkoutTimeoutMs?: number;
  /** Real ms for a firmware download (default 2 minutes). */
  readonly firmwareTimeoutMs?: number;
}

interface HttpAnswer {
  readonly status: number;
  readonly body: Buffer;
}

/**
 * The device API over HTTPS with the cart's own certificate (mutual TLS), trusting only the
 * fleet's roots, as the broker connection does. One client for every route.
 */
export function httpsDeviceApi(
  deviceApiUrl: string,
  credentials: DeviceCredentials,
  options: DeviceApiOptions = {},
): DeviceApi {
  const element = credentials.secureElement;
  if (!(element instanceof SoftwareKeystore)) {
    throw new Error('TLS with a hardware secure element needs an engine or provider (not yet)');
  }
  const key = element.exportTlsKeyPem();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const checkoutTimeoutMs = options.checkoutTimeoutMs ?? 5_000;
  const firmwareTimeoutMs = options.firmwareTimeoutMs ?? 120_000;
  let trustPem = credentials.trustPem;

  const call = (
    method: 'GET' | 'POST',
    path: string,
    headers: Record<string, string>,
    ms: number,
    body?: Uint8Array,
  ) =>
    new Promise<HttpAnswer>((resolve, reject) => {
      const req = request(
        new URL(path, deviceApiUrl),
        {
          method,
          key,
          cert: credentials.certChainPem,
          ca: trustPem,
          rejectUnauthorized: true,
          timeout: ms,
          headers,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let bytes = 0;
          res.on('data', (c: Buffer) => {
            bytes += c.byteLength;
            // A body larger than any image is cut off rather than filling the cart's RAM.
            if (bytes > MAX_IMAGE_BYTES) req.destroy(new Error(`${path}: answer too large`));
            else chunks.push(c);
          });
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${path}: timed out after ${ms} ms`)));
      req.on('error', reject);
      req.end(body);
    });

  return {
    async fetch(cachedVersion) {
      const answer = await call(
        'GET',
        DEVICE_API_PATHS.catalog,
        {
          accept: 'application/json',
          ...(cachedVersion ? { 'if-none-match': `"${cachedVersion}"` } : {}),
        },
        timeoutMs,
      );
      if (answer.status === 304) return { status: 'not-modified' };
      if (answer.status !== 200) throw new Error(`catalog: HTTP ${answer.status}`);
      return {
        status: 'ok',
        snapshot: JSON.parse(answer.body.toString('utf8')) as CatalogSnapshot,
      };
    },

    async sealKey() {
      const answer = await call(
        'GET',
        DEVICE_API_PATHS.sealKey,
        { accept: 'application/json' },
        timeoutMs,
      );
      if (answer.status !== 200) throw new Error(`seal key: HTTP ${answer.status}`);
      return parseSealKey(answer.body);
    },

    async serverTime(nonce) {
      const answer = await call(
        'POST',
        DEVICE_API_PATHS.serverTime,
        { accept: 'application/json', 'content-type': 'application/json' },
        timeoutMs,
        new TextEncoder().encode(JSON.stringify({ nonce })),
      );
      if (answer.status !== 200) throw new Error(`server time: HTTP ${answer.status}`);
      const checked = validateDocument<ServerTime>('server-time', parseJson(answer.body));
      if (!checked.ok) throw new Error(`server time: ${checked.detail}`);
      return checked.value;
    },

    async firmware(url) {
      const answer = await call(
        'GET',
        url,
        { accept: 'application/octet-stream' },
        firmwareTimeoutMs,
      );
      if (answer.status !== 200) throw new Error(`firmware: HTTP ${answer.status}`);
      return new Uint8Array(answer.body);
    },

    trust(pem) {
      trustPem = pem;
    },

    async checkout(frame) {
      try {
        const answer = await call(
          'POST',
          DEVICE_API_PATHS.checkout,
          { accept: 'application/json', 'content-type': 'application/octet-stream' },
          checkoutTimeoutMs,
          frame,
        );
        return checkoutAnswer(answer.status, answer.body);
      } catch (error) {
        return { status: 'unavailable', detail: error instanceof Error ? error.message : 'failed' };
      }
    },
  };
}

/** A seal-key document as the contract defines it, or a throw saying what is wrong. */
export function parseSealKey(body: Uint8Array): SealKey {
  const checked = validateDocument<SealKey>('seal-key', parseJson(body));
  if (!checked.ok) throw new Error(`seal key: ${checked.detail}`);
  return checked.value;
}

/** What an HTTP answer to a checkout post means for the cart (see CheckoutAnswer). */
export function checkoutAnswer(status: number, body: Uint8Array): CheckoutAnswer {
  if (status === 200) {
    const checked = validateDocument<CheckoutResult>('checkout-result', parseJson(body));
    return checked.ok
      ? { status: 'result', result: checked.value }
      : { status: 'unavailable', detail: `not a checkout-result: ${checked.detail}` };
  }
  if (status === 400) {
    const refusal = parseJson(body) as { error?: unknown; message?: unknown } | undefined;
    return {
      status: 'rejected',
      error: typeof refusal?.error === 'string' ? refusal.error : 'bad-request',
      message: typeof refusal?.message === 'string' ? refusal.message : '',
    };
  }
  // A 5xx, or a platform without the route (404): the MQTT path still works.
  return { status: 'unavailable', detail: `HTTP ${status}` };
}

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(body));
  } catch {
    return undefined;
  }
}
