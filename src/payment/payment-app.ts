import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { ServerOptions } from 'node:https';
import type { Logger } from '../shared/observability/logger.js';
import { CardDataRefusal, InvalidJson, installCardDataGuard } from './card-data-hooks.js';
import type { PaymentService } from './payment-service.js';
import { PaymentServiceFailure } from './payment-service.js';
import { registerPaymentRoutes } from './payment-routes.js';
import type { Refusals } from './refusals.js';

/** The service's requests are a few hundred bytes; anything near this is not one of them. */
export const BODY_LIMIT = 16 * 1024;

export interface PaymentAppDeps {
  readonly service: PaymentService;
  readonly refusals: Refusals;
  readonly log: Logger;
}

/**
 * The service's fastify instance with guard, error answers and routes: over `https` with the
 * given TLS options, or plain (for the test double, which only injects). Fastify's logger stays
 * off (it would log URLs and, on errors, messages that may quote input); the service logs method,
 * route and status itself. Ajv neither coerces types nor drops unknown fields: a malformed body
 * is refused, not repaired.
 */
export function createPaymentApp(
  deps: PaymentAppDeps,
  https: ServerOptions | null,
): FastifyInstance {
  const app = Fastify({
    https,
    logger: false,
    bodyLimit: BODY_LIMIT,
    connectionTimeout: 10_000,
    requestTimeout: 10_000,
    return503OnClosing: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    // Fastify's own answer to a URL it cannot decode quotes the URL.
    frameworkErrors: (_error, _request, reply) => {
      void (reply as unknown as FastifyReply)
        .status(400)
        .send({ error: 'bad-request', message: 'the URL is malformed' });
    },
  });
  configurePaymentApp(app, deps);
  return app;
}

function configurePaymentApp(app: FastifyInstance, deps: PaymentAppDeps): void {
  const { refusals, log } = deps;
  installCardDataGuard(app);

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof CardDataRefusal) {
      refusals.record(
        'card_data',
        { route: request.routeOptions.url, path: error.finding.path, reason: error.finding.reason },
        'refused a request that looked like it held card data; it was not stored',
      );
      return reply.status(422).send({ error: 'card-data-refused', message: error.message });
    }
    if (error instanceof PaymentServiceFailure) {
      const status = error.code === 'conflict' ? 409 : 502;
      if (status === 502) log.error({ err: error.cause }, 'the payment processor failed');
      return reply.status(status).send({ error: error.code, message: error.message });
    }
    if (error instanceof InvalidJson) {
      return reply.status(400).send({ error: 'bad-request', message: error.message });
    }
    const fastifyError = error as { validation?: unknown; statusCode?: number; code?: string };
    if (fastifyError.validation) {
      // Ajv's messages name the field and the rule, never the value.
      return reply.status(400).send({ error: 'bad-request', message: (error as Error).message });
    }
    const status = fastifyError.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Fastify's own messages may quote headers; answer with a fixed sentence per case.
      const message = FIXED_MESSAGES[fastifyError.code ?? ''] ?? 'the request is malformed';
      return reply.status(status).send({ error: 'bad-request', message });
    }
    log.error({ err: error, route: request.routeOptions.url }, 'payment service failed');
    return reply.status(500).send({ error: 'internal', message: 'internal error' });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: 'not-found',
      // The URL passed the card-data guard in onRequest, so naming it is safe.
      message: `no route ${request.method} ${request.url.split('?')[0]}`,
    }),
  );

  app.addHook('onResponse', async (request, reply) => {
    log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? '(none)',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'payment request',
    );
  });

  registerPaymentRoutes(app, deps);
}

const FIXED_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: `the body is larger than ${BODY_LIMIT} bytes`,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'send the body as application/json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'the body is empty',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'the content length does not match the body',
};
