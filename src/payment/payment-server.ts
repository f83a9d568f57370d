import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { mutualTlsContext } from '../edge/broker/tls-policy.js';
import type { Logger } from '../shared/observability/logger.js';
import { createPaymentApp } from './payment-app.js';
import type { PaymentService } from './payment-service.js';
import type { PaymentZone } from './payment-zone.js';
import { Refusals } from './refusals.js';

export interface PaymentServerOptions {
  readonly host: string;
  readonly port: number;
  readonly zone: PaymentZone;
  readonly service: PaymentService;
  readonly log: Logger;
}

/**
 * The payment service's door: HTTPS with the fleet's TLS policy (1.2 at least, forward-secret
 * AEAD suites), answering only a client certificate issued by the payment CA (the only CA in
 * `ca`, so a fleet device certificate, a self-signed one or none fails the handshake) whose
 * SHA-256 fingerprint is the pinned bridge certificate's. The pin holds even if the payment CA
 * ever signs something else: the service answers one certificate, not one issuer.
 */
export class PaymentServer {
  #app: FastifyInstance | undefined;
  readonly refusals: Refusals;

  constructor(private readonly options: PaymentServerOptions) {
    this.refusals = new Refusals(options.log);
  }

  async start(): Promise<{ url: string; port: number }> {
    const { zone, host, port } = this.options;
    const app = createPaymentApp(
      { ...this.options, refusals: this.refusals },
      {
        ...mutualTlsContext({
          keyPem: zone.server.keyPem,
          certChainPem: zone.server.certPem,
          trusted: [zone.caPem],
          crls: [],
        }),
        requestCert: true,
        rejectUnauthorized: true,
      },
    );
    this.#app = app;

    app.server.on('tlsClientError', (error: NodeJS.ErrnoException, socket: TLSSocket) => {
      this.refusals.record(
        'tls',
        { remote: socket.remoteAddress, reason: error.code ?? error.message },
        'refused a TLS client',
      );
    });
    // Runs after the handshake, before the connection's first byte of HTTP is read.
    app.server.on('secureConnection', (socket: TLSSocket) => {
      const peer = socket.getPeerCertificate();
      if (peer.fingerprint256 === zone.bridgeFingerprint256) return;
      this.refusals.record(
        'pin',
        {
          remote: socket.remoteAddress,
          subject: String(peer.subject?.CN ?? ''),
          fingerprint: peer.fingerprint256,
        },
        'refused a payment-CA certificate that is not the pinned bridge certificate',
      );
      socket.destroy();
    });

    await app.listen({ host, port });
    const actual = (app.server.address() as AddressInfo).port;
    // Listening on every address: name one the service certificate carries.
    const named = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
    return { url: `https://${named.includes(':') ? `[${named}]` : named}:${actual}`, port: actual };
  }

  async close(): Promise<void> {
    const app = this.#app;
    this.#app = undefined;
    await app?.close();
  }
}
