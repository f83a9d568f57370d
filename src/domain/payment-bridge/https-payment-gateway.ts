import { Agent, request } from 'node:https';
import { checkServerIdentity } from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { TLS_MIN_VERSION } from '../../edge/broker/tls-policy.js';
import type { BridgeCredentials } from './bridge-credentials.js';
import { postCapture, postResolve, type WireAnswer } from './gateway-wire.js';
import {
  PaymentGatewayFailure,
  type CaptureRequest,
  type CaptureResult,
  type PaymentGateway,
  type ResolvedMethod,
} from './payment-gateway.js';

export interface HttpsPaymentGatewayOptions {
  /** The service's base URL, e.g. https://127.0.0.1:9443. */
  readonly url: string;
  readonly credentials: BridgeCredentials;
  /** The name the service's certificate must carry; defaults to the URL's host. */
  readonly serverName?: string;
  /** Deadline of one attempt, connection to last byte. */
  readonly timeoutMs?: number;
  /** Further attempts after a connection error. */
  readonly retries?: number;
  readonly retryDelayMs?: number;
}

/** Errors of reaching the service, after which nothing of the request was answered. */
const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * The platform's side of the payment bridge: HTTPS with the bridge's client certificate,
 * trusting the payment CA only and checking the service's name, over keep-alive connections.
 *
 * A connection error is retried a bounded number of times. That is safe for both calls even when
 * the first attempt reached the service before the connection broke: resolving a token again
 * answers the same reference, and a capture is idempotent per session in the service (the same
 * request answers the stored result, the processor is not asked twice). A timeout is not retried:
 * the service is slow, not gone, and more requests would not help it. TLS failures are not
 * retried: a certificate that was refused stays refused.
 */
export class HttpsPaymentGateway implements PaymentGateway {
  readonly #agent: Agent;
  readonly #base: URL;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #retryDelayMs: number;

  constructor(options: HttpsPaymentGatewayOptions) {
    const { credentials, serverName } = options;
    this.#base = new URL(options.url);
    if (this.#base.protocol !== 'https:') {
      throw new TypeError(`the payment service URL must be https://, got ${options.url}`);
    }
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#retries = options.retries ?? 2;
    this.#retryDelayMs = options.retryDelayMs ?? 100;
    this.#agent = new Agent({
      keepAlive: true,
      maxSockets: 16,
      // Idle connections close on our side well before the service's keep-alive timeout (72 s),
      // so a request rarely lands on a connection the server is closing.
      timeout: 30_000,
      key: credentials.keyPem,
      cert: credentials.certPem,
      ca: [credentials.caPem],
      minVersion: TLS_MIN_VERSION,
      ...(serverName
        ? {
            servername: serverName,
            checkServerIdentity: (_host: string, cert) => checkServerIdentity(serverName, cert),
          }
        : {}),
    });
  }

  resolveMethod(paymentToken: string): Promise<ResolvedMethod> {
    return postResolve((path, body) => this.#post(path, body), paymentToken);
  }

  capture(request: CaptureRequest): Promise<CaptureResult> {
    return postCapture((path, body) => this.#post(path, body), request);
  }

  close(): Promise<void> {
    this.#agent.destroy();
    return Promise.resolve();
  }

  async #post(path: string, body: unknown): Promise<WireAnswer> {
    const payload = JSON.stringify(body);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#once(path, payload);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? '';
        if (CONNECTION_ERRORS.has(code) && attempt < this.#retries) {
          await sleep(this.#retryDelayMs * 2 ** attempt);
          continue;
        }
        throw new PaymentGatewayFailure(
          'payment-unavailable',
          `${path}: cannot reach the payment service at ${this.#base.origin} (${describe(error)})`,
          { cause: error },
        );
      }
    }
  }

  #once(path: string, payload: string): Promise<WireAnswer> {
    return new Promise((resolve, reject) => {
      const req = request(
        new URL(path, this.#base),
        {
          method: 'POST',
          agent: this.#agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            accept: 'application/json',
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_ANSWER_BYTES) req.destroy(new Error('the answer is too large'));
            else chunks.push(chunk);
          });
          res.on('end', () => {
            clearTimeout(deadline);
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown;
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = undefined;
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
          res.on('error', (error) => {
            clearTimeout(deadline);
            reject(error);
          });
        },
      );
      const deadline = setTimeout(
        () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEOUT' })),
        this.#timeoutMs,
      );
      req.on('error', (error) => {
        clearTimeout(deadline);
        reject(error);
      });
      req.end(payload);
    });
  }
}

function describe(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  return code ? `${code}: ${message}` : String(message ?? error);
}
