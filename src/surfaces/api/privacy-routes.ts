import type { FastifyInstance } from 'fastify';
import { CustomerFailure } from '../../domain/customers/customer-errors.js';
import type { DsarCaller } from '../../domain/customers/data-subject-requests.js';
import type { ApiDeps } from './api-deps.js';
import { ApiError, notFound, unavailable } from './api-errors.js';
import { auditActor, authenticate, requireFresh, requireRole } from './auth.js';
import type { ApiPrincipal } from './roles.js';
import { errors } from './schemas.js';

const LOYALTY = '^[0-9]{8,19}$';
const UUID = '^[0-9a-fA-F-]{36}$';

interface DsarBody {
  kind: 'export' | 'correct' | 'delete';
  loyalty_number?: string;
  customer_id?: string;
  fields?: Record<string, string>;
  override_reason?: string;
}

/** Maps the identity service's refusals to API answers. */
export function customerError(error: unknown): never {
  if (error instanceof CustomerFailure) {
    if (error.code === 'account-not-found') throw notFound(error.message);
    if (error.code === 'residency-refused')
      throw new ApiError(403, 'residency-refused', error.message);
    if (error.code === 'vault-unavailable') throw unavailable(error.message);
    throw new ApiError(400, 'bad-request', error.message);
  }
  throw error;
}

export function callerOf(principal: ApiPrincipal, overrideReason?: string): DsarCaller {
  return {
    actor: auditActor(principal),
    ...(principal.region ? { region: principal.region } : {}),
    ...(overrideReason ? { overrideReason } : {}),
  };
}

/**
 * The privacy officer's data-subject requests (and ops, through the audited cross-region path):
 * the same requests as `fleetplane dsar`, with their state and 30-day deadline.
 */
export function registerPrivacyRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const security = [{ bearer: [] }];
  const onRequest = authenticate(deps);
  const customers = () => {
    if (!deps.customers) throw unavailable('this platform runs without the PII vault');
    return deps.customers;
  };

  app.get<{ Querystring: { state?: 'open' | 'completed' | 'refused' } }>(
    '/v1/privacy/requests',
    {
      onRequest,
      schema: {
        summary: 'Data-subject requests with their state and deadline',
        tags: ['privacy'],
        security,
        querystring: {
          type: 'object',
          properties: { state: { type: 'string', enum: ['open', 'completed', 'refused'] } },
          additionalProperties: false,
        },
        response: { ...errors },
      },
    },
    async (request) => {
      requireRole(request, ['privacy', 'ops']);
      return { requests: await customers().dsar.list(request.query.state) };
    },
  );

  app.post<{ Body: DsarBody }>(
    '/v1/privacy/requests',
    {
      onRequest,
      schema: {
        summary: 'Run a data-subject request: export, correct or delete (crypto-shredding)',
        description:
          "Identify the account by loyalty_number or customer_id. A request for an account of another region than the token's is refused unless an ops token gives override_reason (audited). A deletion on a console session needs a passkey step-up in the last 5 minutes (403 fresh-assertion-required).",
        tags: ['privacy'],
        security,
        body: {
          type: 'object',
          required: ['kind'],
          additionalProperties: false,
          properties: {
            kind: { type: 'string', enum: ['export', 'correct', 'delete'] },
            loyalty_number: { type: 'string', pattern: LOYALTY },
            customer_id: { type: 'string', pattern: UUID },
            fields: {
              type: 'object',
              additionalProperties: false,
              minProperties: 1,
              properties: Object.fromEntries(
                ['first_name', 'last_name', 'email', 'phone', 'address'].map((f) => [
                  f,
                  { type: 'string', minLength: 1, maxLength: 300 },
                ]),
              ),
            },
            override_reason: { type: 'string', minLength: 8, maxLength: 200 },
          },
        },
        response: { ...errors },
      },
    },
    async (request, reply) => {
      const principal = requireRole(request, ['privacy', 'ops']);
      const body = request.body;
      if (body.kind === 'delete') requireFresh(request, deps.now?.());
      const { dsar } = customers();
      const customerId = await accountOf(body, dsar);
      const caller = callerOf(principal, body.override_reason);
      try {
        if (body.kind === 'export') return await dsar.export(customerId, caller);
        if (body.kind === 'delete')
          return reply.status(200).send(await dsar.delete(customerId, caller));
        if (!body.fields) throw new ApiError(400, 'bad-request', 'a correction needs fields');
        return { request: await dsar.correct(customerId, body.fields, caller) };
      } catch (error) {
        return customerError(error);
      }
    },
  );

  async function accountOf(body: DsarBody, dsar: NonNullable<ApiDeps['customers']>['dsar']) {
    if (body.customer_id) return body.customer_id.toLowerCase();
    if (body.loyalty_number) {
      const found = await dsar.findByLoyalty(body.loyalty_number);
      if (!found) throw notFound('no account has that loyalty number');
      return found;
    }
    throw new ApiError(400, 'bad-request', 'give loyalty_number or customer_id');
  }
}
