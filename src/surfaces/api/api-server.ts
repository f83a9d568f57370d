import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerBackupRoutes } from './backup-routes.js';
import type { ApiDeps } from './api-deps.js';
import { ApiError } from './api-errors.js';
import { registerCatalogRoutes } from './catalog-routes.js';
import { registerDeviceRoutes } from './device-routes.js';
import { registerDlqRoutes } from './dlq-routes.js';
import { registerQueueDeadLetterRoutes } from './queue-dead-letter-routes.js';
import { registerLossPreventionRoutes } from './loss-prevention-routes.js';
import { registerReceiptRoutes } from './receipt-routes.js';
import { registerSessionRoutes } from './session-routes.js';
import { registerCustomerRoutes } from './customer-routes.js';
import { registerPrivacyRoutes } from './privacy-routes.js';
import { registerBillingRoutes } from '../../domain/billing/billing-routes.js';
import { registerCostRoutes } from '../../domain/cost/cost-routes.js';
import { registerComplianceRoutes } from '../../domain/compliance/compliance-routes.js';
import { registerRetentionRoutes } from '../../domain/retention/retention-routes.js';
import { registerFleetOpsRoutes } from '../../domain/fleet-ops/cart-routes.js';
import { registerFleetHealthRoutes } from '../../domain/fleet-ops/fleet-health-routes.js';
import { registerStaffRoutes } from '../../domain/staff/staff-routes.js';
import { registerCommandRoutes } from '../../domain/commands/command-routes.js';
import { registerShadowRoutes } from '../../domain/shadow/shadow-routes.js';
import { registerOtaImageRoutes } from '../../domain/ota/images/image-upload-routes.js';
import { registerRolloutRoutes } from '../../domain/ota/api/rollout-routes.js';
import { registerStreamRoute } from '../live/stream-route.js';
import { registerMetricHistoryRoutes } from '../../shared/observability/metric-history-routes.js';
import { registerRulesRoutes } from '../../domain/alarms/rules-routes.js';
import { registerAlarmRoutes } from '../../domain/alarms/alarm-routes.js';
import { registerAuditRoutes } from '../../domain/fleet-audit/audit-routes.js';
import { registerShipmentRoutes } from '../../domain/coldchain/shipment-routes.js';
import { registerToolRoutes } from '../../domain/tools/tool-routes.js';
import { PACKAGED_WEB_DIST, registerConsole } from './console-static.js';
import { registerSecurityHeaders } from './security-headers.js';
import { registerWebhookRoutes } from '../webhooks/webhook-routes.js';
import { registerIntegrationRoutes } from '../integrations/integration-routes.js';
import { refuseUnstorableInput } from './unstorable-input.js';
import { registerConsoleAuthRoutes } from '../console-auth/auth-routes.js';
import { auditConsoleRequests } from '../console-auth/request-audit.js';
import { sessionCookieName } from '../console-auth/session-cookie.js';

export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const options = { logger: false, ajv: { customOptions: { removeAdditional: false } } };
  // Routes see the same request and reply over HTTP and HTTPS; only the server's type differs.
  const app = (
    deps.https ? Fastify({ ...options, https: deps.https }) : Fastify(options)
  ) as FastifyInstance;
  registerSecurityHeaders(app, { https: deps.https !== undefined });
  refuseUnstorableInput(app);
  await app.register(swagger, {
    openapi: {
      // 3.1: route schemas are JSON Schema 2020-12 (numeric exclusiveMinimum, type arrays with
      // 'null'), which 3.0's schema dialect does not allow.
      openapi: '3.1.0',
      info: {
        title: 'fleetplane API',
        version: deps.version,
        description:
          'Devices, their events, stores, shopping sessions, receipts and loss-prevention alerts; the customer app, the staff tablet, the ops console and the privacy officer. Authenticate with a bearer token from `fleetplane token`, or with the console session cookie that /v1/auth/… sets (send X-CSRF-Token on unsafe methods).',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: sessionCookieName(deps.https !== undefined),
          },
        },
      },
    },
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof ApiError) {
      return reply.status(error.status).send({ error: error.code, message: error.message });
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (
      (error as { validation?: unknown }).validation ||
      (status && status >= 400 && status < 500)
    ) {
      return reply
        .status(status ?? 400)
        .send({ error: 'bad-request', message: (error as Error).message });
    }
    // Fastify runs without its own logger: the platform's log is where an operator looks.
    deps.log?.error(
      { err: error, method: request.method, route: request.routeOptions.url },
      'API request failed',
    );
    return reply
      .status(500)
      .send({ error: 'internal', message: 'internal error; see the platform log' });
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ error: 'not-found', message: `no route ${request.method} ${request.url}` }),
  );

  app.get('/healthz', { schema: { hide: true } }, async () => ({
    status: 'ok',
    ...(await deps.health()),
  }));
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.type(deps.metrics.registry.contentType);
    return deps.metrics.text();
  });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());

  await app.register(cookie);
  // Before any route: the hook applies to the routes registered after it.
  auditConsoleRequests(app, deps.audit);
  registerConsoleAuthRoutes(app, deps);

  registerDeviceRoutes(app, deps);
  registerDlqRoutes(app, deps);
  registerBackupRoutes(app, deps);
  registerQueueDeadLetterRoutes(app, deps);
  registerSessionRoutes(app, deps);
  registerCustomerRoutes(app, deps);
  registerPrivacyRoutes(app, deps);
  registerStaffRoutes(app, deps);
  registerFleetOpsRoutes(app, deps);
  registerFleetHealthRoutes(app, deps);
  registerBillingRoutes(app, deps);
  registerCostRoutes(app, deps);
  registerComplianceRoutes(app, deps);
  registerRetentionRoutes(app, deps);
  registerReceiptRoutes(app, deps);
  registerLossPreventionRoutes(app, deps);
  registerCommandRoutes(app, deps);
  registerShadowRoutes(app, deps);
  await app.register(async (scope) => registerCatalogRoutes(scope, deps));
  await app.register(async (scope) => registerOtaImageRoutes(scope, deps));
  registerRolloutRoutes(app, deps);
  registerStreamRoute(app, deps);
  registerMetricHistoryRoutes(app, deps);
  registerRulesRoutes(app, deps);
  registerAlarmRoutes(app, deps);
  registerAuditRoutes(app, deps);
  registerShipmentRoutes(app, deps);
  registerToolRoutes(app, deps);
  registerWebhookRoutes(app, deps);
  registerIntegrationRoutes(app, deps);
  await registerConsole(app, deps.webDist ?? PACKAGED_WEB_DIST);
  return app;
}
