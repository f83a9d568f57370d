import type { FastifyInstance } from 'fastify';
import { isFailure } from '../../shared/failure.js';
import type { ApiDeps } from '../../surfaces/api/api-deps.js';
import { badRequest, notFound, unavailable } from '../../surfaces/api/api-errors.js';
import { actorLabel, auditActor, authenticate, requireRole } from '../../surfaces/api/auth.js';
import { errorBody, errors } from '../../surfaces/api/schemas.js';
import { commandServices } from '../commands/command-api.js';
import { isToolModel, jobSites, toolView, TOOL_MODELS } from './tool-models.js';
import { jobSiteSchema, serviceSchema, SITE_ID, toolSchema } from './tool-schemas.js';

const common = { tags: ['tools'], security: [{ bearer: [] }] };
const idParams = {
  type: 'object',
  properties: { id: { type: 'string', maxLength: 64 } },
  required: ['id'],
} as const;
const toolList = {
  type: 'object',
  properties: { tools: { type: 'array', items: toolSchema } },
  required: ['tools'],
} as const;

/** Connected tools' usage and maintenance, and the fleet per job site (decision 046): ops only. */
export function registerToolRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const now = () => (deps.now ? deps.now().getTime() : Date.now());

  app.get<{ Querystring: { job_site?: string; due?: boolean } }>(
    '/v1/tools',
    {
      onRequest: authenticate(deps),
      schema: {
        ...common,
        summary: 'Connected tools with usage and maintenance due, by device id',
        querystring: {
          type: 'object',
          properties: { job_site: { type: 'string', pattern: SITE_ID }, due: { type: 'boolean' } },
          additionalProperties: false,
        },
        response: { 200: toolList, ...errors },
      },
    },
    async (request) => {
      requireRole(request, ['ops']);
      const { job_site: jobSiteId, due } = request.query;
      const tools = (await deps.entities.listTools(jobSiteId ? { jobSiteId } : {})).map(toolView);
      return { tools: due === undefined ? tools : tools.filter((t) => t.maintenanceDue === due) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/tools/:id',
    {
      onRequest: authenticate(deps),
      schema: {
        ...common,
        summary: 'One tool: usage, maintenance due, and its service history (newest first)',
        params: idParams,
        response: {
          200: {
            type: 'object',
            properties: { tool: toolSchema, services: { type: 'array', items: serviceSchema } },
            required: ['tool', 'services'],
          },
          ...errors,
        },
      },
    },
    async (request) => {
      requireRole(request, ['ops']);
      const tool = await deps.entities.getTool(request.params.id);
      if (!tool)
        throw notFound(`no tool ${request.params.id} (none has reported or been assigned)`);
      return {
        tool: toolView(tool),
        services: await deps.entities.listToolServices(tool.deviceId),
      };
    },
  );

  app.post<{ Params: { id: string }; Body: { note?: string } }>(
    '/v1/tools/:id/service',
    {
      onRequest: authenticate(deps),
      schema: {
        ...common,
        summary: 'Record a service: resets the usage since service (audited)',
        params: idParams,
        body: {
          type: 'object',
          properties: { note: { type: 'string', maxLength: 500 } },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: { tool: toolSchema, service: serviceSchema },
            required: ['tool', 'service'],
          },
          ...errors,
          503: errorBody,
        },
      },
    },
    async (request) => {
      const principal = requireRole(request, ['ops']);
      if (!deps.audit) throw unavailable('this platform keeps no audit log: services are refused');
      const id = request.params.id;
      const done = await deps.entities.serviceTool(id, {
        at: now(),
        by: actorLabel(principal),
        note: request.body?.note ?? null,
      });
      if (!done) throw notFound(`no tool ${id} (none has reported or been assigned)`);
      await deps.audit.append({
        actor: auditActor(principal),
        action: 'tool-service',
        purpose: 'tool serviced: usage since service reset',
        deviceId: id,
        fields: ['minutes_since_service', 'cycles_since_service'],
        detail: { usage_minutes: done.service.usageMinutes, cycles: done.service.cycles },
      });
      return { tool: toolView(done.tool), service: done.service };
    },
  );

  app.post<{ Params: { id: string }; Body: { job_site_id?: string | null; model?: string } }>(
    '/v1/tools/:id/assign',
    {
      onRequest: authenticate(deps),
      schema: {
        ...common,
        summary: "Assign a tool to a job site (its shadow's desired job_site_id) and/or a model",
        description: `job_site_id null takes it off its site. model sets the service interval: ${Object.keys(TOOL_MODELS).join(', ')}.`,
        params: idParams,
        body: {
          type: 'object',
          properties: {
            job_site_id: { type: ['string', 'null'], pattern: SITE_ID },
            model: { type: 'string', maxLength: 32 },
          },
          additionalProperties: false,
          minProperties: 1,
        },
        response: {
          200: {
            type: 'object',
            properties: { tool: toolSchema, shadowPending: { type: 'boolean' } },
            required: ['tool', 'shadowPending'],
          },
          ...errors,
        },
      },
    },
    async (request) => {
      const principal = requireRole(request, ['ops']);
      const id = request.params.id;
      const { job_site_id: jobSiteId, model } = request.body;
      if (model !== undefined && !isToolModel(model)) {
        throw badRequest(`model must be one of ${Object.keys(TOOL_MODELS).join(', ')}`);
      }
      const known = await deps.devices.lookup(id);
      if (!known) throw notFound(`no provisioned device ${id}`);
      if (known.deviceClass !== 'tool')
        throw badRequest(`${id} is a ${known.deviceClass}, not a tool`);
      const tool = await deps.entities.assignTool(id, {
        ...(jobSiteId !== undefined ? { jobSiteId } : {}),
        ...(model !== undefined ? { model } : {}),
      });
      let shadowPending = false;
      if (jobSiteId !== undefined) {
        try {
          const by = actorLabel(principal);
          await commandServices(deps).shadows.setDesired(id, { job_site_id: jobSiteId }, by, now());
        } catch (error) {
          // Not connected yet: the cloud's assignment holds; the shadow is set at the next assign.
          if (isFailure(error) && error.code === 'unknown-device') shadowPending = true;
          else throw error;
        }
      }
      return { tool: toolView(tool), shadowPending };
    },
  );

  app.get(
    '/v1/job-sites',
    {
      onRequest: authenticate(deps),
      schema: {
        ...common,
        summary:
          'Job sites with their tools: how many, due for service, with errors, lowest battery',
        response: {
          200: {
            type: 'object',
            properties: { jobSites: { type: 'array', items: jobSiteSchema } },
            required: ['jobSites'],
          },
          ...errors,
        },
      },
    },
    async (request) => {
      requireRole(request, ['ops']);
      return { jobSites: jobSites((await deps.entities.listTools({})).map(toolView)) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/job-sites/:id/tools',
    {
      onRequest: authenticate(deps),
      schema: {
        ...common,
        summary: "A job site's tools with usage, maintenance due, battery and errors",
        params: idParams,
        response: {
          200: {
            type: 'object',
            properties: { jobSite: jobSiteSchema, tools: toolList.properties.tools },
            required: ['jobSite', 'tools'],
          },
          ...errors,
        },
      },
    },
    async (request) => {
      requireRole(request, ['ops']);
      const tools = (await deps.entities.listTools({ jobSiteId: request.params.id })).map(toolView);
      const [jobSite] = jobSites(tools);
      if (!jobSite) throw notFound(`no tools at job site ${request.params.id}`);
      return { jobSite, tools };
    },
  );
}
