import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { ApiError } from '../../surfaces/api/api-errors.js';
import type { ServerIdentity } from '../broker/server-identity.js';
import { FleetTls } from '../broker/fleet-tls.js';
import { REJECT_REASONS, type SealKey } from '../../contract/index.js';
import { type FleetCa, type IdentityContext, type RevocationWatcher } from '../identity/index.js';
import type { DeviceDirectory } from '../../pipeline/ingest/device-directory.js';
import type { Logger } from '../../shared/observability/logger.js';
import type { PlatformMetrics } from '../../shared/observability/metrics.js';
import { registerCatalogRoute } from './catalog-route.js';
import type { CatalogSnapshots } from './catalog-snapshots.js';
import { registerCheckoutRoute, type CheckoutRouteDeps } from './checkout-route.js';
import { DeviceAdmission, type CallingDevice } from './device-admission.js';
import { registerSealKeyRoute } from './seal-key-route.js';
import { registerServerTimeRoute } from './server-time-route.js';
import {
  registerFirmwareDownloadRoute,
  type FirmwareDownloadDeps,
} from '../../domain/ota/images/firmware-download-route.js';

declare module 'fastify' {
  interface FastifyRequest {
    device?: CallingDevice;
  }
}

export interface DeviceApiOptions {
  readonly host: string;
  readonly port: number;
  readonly identity: IdentityContext;
  readonly ca: FleetCa;
  readonly revocations: RevocationWatcher;
  readonly server: ServerIdentity;
  readonly directory: DeviceDirectory;
  readonly metrics: PlatformMetrics;
  readonly log: Logger;
  readonly now?: () => number;
  /** The store catalogs carts fetch; the catalog push tells it of a write (see CatalogPush). */
  readonly catalogs: CatalogSnapshots;
  /** The platform's ingest, for checkout frames. */
  readonly ingest: CheckoutRouteDeps['ingest'];
  readonly checkout: CheckoutRouteDeps['checkout'];
  /** The identity service's seal key; without it the route answers 503. */
  readonly sealKey?: () => Promise<SealKey>;
  /** Firmware images and the signed URLs of ota-jobs; without them there is no download route. */
  readonly firmware?: Pick<FirmwareDownloadDeps, 'images' | 'urls'>;
}

/**
 * The device API (decision 013): HTTPS on its own port for what does not fit MQTT, starting
 * with the catalog a cart caches, the seal key and the synchronous checkout; for OTA, the
 * server-time challenge and firmware downloads through signed URLs. Same door as the broker: mutual TLS with the broker's server
 * certificate, TLS policy, fleet trust and CRLs (reloaded when the revocation watcher sees a
 * change or a CA rotation), then the broker's admission. Errors are JSON {error, message}.
 */
export class DeviceApi {
  #app: FastifyInstance | undefined;
  readonly #tls: FleetTls;
  #unwatch: (() => void) | undefined;
  readonly #now: () => number;

  constructor(private readonly options: DeviceApiOptions) {
    this.#now = options.now ?? Date.now;
    this.#tls = new FleetTls({ ...options, now: this.#now });
  }

  async start(): Promise<{ url: string }> {
    const { options } = this;
    const app = Fastify({
      logger: false,
      https: {
        ...this.#tls.context(),
        requestCert: true,
        rejectUnauthorized: true,
      },
    });
    this.#app = app;
    const admission = new DeviceAdmission({
      identity: options.identity,
      ca: () => this.#tls.ca,
      revocations: options.revocations,
      directory: options.directory,
      now: this.#now,
    });
    app.addHook('onRequest', async (request) => {
      request.device = await admission.admit(request.raw.socket as TLSSocket);
    });
    app.addHook('onResponse', async (request, reply) => {
      options.metrics.deviceApiRequests.inc({
        route: request.routeOptions.url ?? 'unknown',
        status: String(reply.statusCode),
      });
    });
    app.setErrorHandler((error, request, reply) => {
      if (error instanceof ApiError) {
        if (error.status === 403) {
          options.metrics.authFailures.inc({ stage: 'device-api' });
          options.log.warn({ err: error.message, url: request.url }, 'device API refused a device');
        }
        return reply.status(error.status).send({ error: error.code, message: error.message });
      }
      // A frame over the contract's size is what ingest calls `size`; say so in its words.
      if ((error as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return reply.status(400).send({ error: 'size', message: REJECT_REASONS.size });
      }
      const status = (error as { statusCode?: number }).statusCode;
      if (status && status >= 400 && status < 500) {
        return reply
          .status(status)
          .send({ error: 'bad-request', message: (error as Error).message });
      }
      options.log.error({ err: error, device_id: request.device?.deviceId }, 'device API failed');
      return reply.status(500).send({ error: 'internal', message: 'internal error' });
    });
    app.setNotFoundHandler((request, reply) =>
      reply
        .status(404)
        .send({ error: 'not-found', message: `no route ${request.method} ${request.url}` }),
    );
    registerCatalogRoute(app, options.catalogs);
    registerSealKeyRoute(app, options.sealKey, options.log);
    registerCheckoutRoute(app, {
      ingest: options.ingest,
      checkout: options.checkout,
      now: this.#now,
    });
    registerServerTimeRoute(app, this.#now);
    if (options.firmware) {
      registerFirmwareDownloadRoute(app, {
        ...options.firmware,
        metrics: options.metrics,
        now: this.#now,
      });
    }

    app.server.on('tlsClientError', (error: Error, socket: TLSSocket) => {
      options.metrics.authFailures.inc({ stage: 'device-api-tls' });
      options.log.warn(
        { remote: socket.remoteAddress, err: error.message },
        'device API TLS refused',
      );
    });
    this.#unwatch = this.#tls.watch((context) => app.server.setSecureContext(context));

    await app.listen({ host: options.host, port: options.port });
    const { port } = app.server.address() as AddressInfo;
    return { url: `https://${options.host === '0.0.0.0' ? 'localhost' : options.host}:${port}` };
  }

  async close(): Promise<void> {
    this.#unwatch?.();
    const app = this.#app;
    this.#app = undefined;
    await app?.close();
  }
}
