import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiDeps } from '../../surfaces/api/api-deps.js';
import { notFound } from '../../surfaces/api/api-errors.js';
import { actorLabel, authenticate, requireRole } from '../../surfaces/api/auth.js';
import { errorBody, errors } from '../../surfaces/api/schemas.js';
import { DEVICE_ID_PATTERN, UUID_PATTERN } from '../../contract/index.js';
import { asApi, commandJson, commandJsonSchema, commandServices } from './command-api.js';
import { API_COMMANDS } from './command-names.js';

const DEFAULT_TIMEOUT_S = 30;
const MAX_PAGE = 200;

interface SendBody {
  name: string;
  args?: Record<string, unknown>;
  timeout_s?: number;
}

const deviceParams = {
  type: 'object',
  properties: { id: { type: 'string', pattern: DEVICE_ID_PATTERN } },
  required: ['id'],
} as const;
const commandParams = {
  type: 'object',
  properties: { command_id: { type: 'string', pattern: UUID_PATTERN } },
  required: ['command_id'],
} as const;

/** The command ledger over HTTP: send, list, look up and retry (ops; staff read their store's). */
export function registerCommandRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const security = [{ bearer: [] }];
  const onRequest = authenticate(deps);
  const now = () => (deps.now ? deps.now().getTime() : Date.now());
  const { commands } = commandServices(deps);

  async function readable(request: FastifyRequest, deviceId: string): Promise<void> {
    requireRole(request, ['ops', 'staff']);
    const device = await deps.entities.getDevice(deviceId);
    if (!device) throw notFound(`no device ${deviceId}`);
    requireRole(request, ['ops', 'staff'], device.storeId);
  }

  app.post<{ Params: { id: string }; Body: SendBody }>(
    '/v1/devices/:id/commands',
    {
      onRequest,
      schema: {
        summary: 'Send a command to a device, recorded in the command ledger',
        description: `Transient actions only (${API_COMMANDS.join(', ')}); state that must survive a reconnect belongs in the shadow. The command expires after timeout_s: a device that gets it later rejects it, and the ledger marks it failed with code timeout if no answer came by then. 202: sent; follow it at /v1/commands/{command_id}.`,
        tags: ['commands'],
        security,
        params: deviceParams,
        body: {
          type: 'object',
          properties: {
            name: { type: 'string', enum: [...API_COMMANDS] },
            args: {
              type: 'object',
              maxProperties: 8,
              description:
                'trust-ca: ca_generation and ca_root_pem; reboot: an optional reason code.',
            },
            timeout_s: { type: 'integer', minimum: 1, maximum: 86_400, default: DEFAULT_TIMEOUT_S },
          },
          required: ['name'],
          additionalProperties: false,
        },
        response: {
          202: {
            type: 'object',
            properties: { commandId: { type: 'string' }, expiresAt: { type: 'string' } },
            required: ['commandId', 'expiresAt'],
          },
          ...errors,
          503: errorBody,
        },
      },
    },
    async (request, reply) => {
      const principal = requireRole(request, ['ops']);
      const { name, args = {}, timeout_s: timeoutS = DEFAULT_TIMEOUT_S } = request.body;
      const sent = await asApi(() =>
        commands.send(
          request.params.id,
          name,
          args,
          { timeoutMs: timeoutS * 1000, by: actorLabel(principal) },
          now(),
        ),
      );
      return reply.status(202).send({ commandId: sent.commandId, expiresAt: sent.expiresAt });
    },
  );

  app.get<{ Params: { id: string }; Querystring: { limit?: number } }>(
    '/v1/devices/:id/commands',
    {
      onRequest,
      schema: {
        summary: "A device's commands, newest first, with their outcome",
        tags: ['commands'],
        security,
        params: deviceParams,
        querystring: {
          type: 'object',
          properties: { limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 50 } },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: { commands: { type: 'array', items: commandJsonSchema } },
            required: ['commands'],
          },
          ...errors,
        },
      },
    },
    async (request) => {
      await readable(request, request.params.id);
      const list = await commands.list(request.params.id, request.query.limit ?? 50);
      return { commands: list.map(commandJson) };
    },
  );

  app.get<{ Params: { command_id: string } }>(
    '/v1/commands/:command_id',
    {
      onRequest,
      schema: {
        summary: 'One command: pending, succeeded, failed (timeout included) or rejected',
        tags: ['commands'],
        security,
        params: commandParams,
        response: { 200: commandJsonSchema, ...errors },
      },
    },
    async (request) => {
      requireRole(request, ['ops', 'staff']);
      const command = await commands.get(request.params.command_id);
      if (!command) throw notFound(`no command ${request.params.command_id}`);
      await readable(request, command.deviceId);
      return commandJson(command);
    },
  );

  app.post<{ Params: { command_id: string } }>(
    '/v1/commands/:command_id/retry',
    {
      onRequest,
      schema: {
        summary: 'Send a timed-out command again, under the same id',
        description:
          'Only a command that timed out: the device runs an id at most once, so if it did run it (and its answer was lost) it answers with that outcome, marked duplicate. 409 for a command that is pending, succeeded, or that the device answered (it would answer the same id the same way; send a new command).',
        tags: ['commands'],
        security,
        params: commandParams,
        response: { 202: commandJsonSchema, ...errors, 409: errorBody, 503: errorBody },
      },
    },
    async (request, reply) => {
      requireRole(request, ['ops']);
      const command = await asApi(() => commands.retry(request.params.command_id, now()));
      return reply.status(202).send(commandJson(command));
    },
  );
}
