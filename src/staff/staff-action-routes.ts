import type { FastifyInstance } from 'fastify';
import Type, { type Static } from 'typebox';
import type { ApiDeps } from '../api/api-deps.js';
import { ApiError, notFound, unavailable } from '../api/api-errors.js';
import { actorLabel, auditActor, authenticate, requireFresh } from '../api/auth.js';
import type { ApiPrincipal } from '../api/roles.js';
import { errorBody, errors } from '../api/schemas.js';
import type { AuditEntry, AuditLog } from '../audit/audit-log.js';
import { commandServices } from '../commands/command-api.js';
import { CODE_PATTERN, UUID_PATTERN } from '../contract/index.js';
import { MAINTENANCE_REASONS } from '../entities/entity-store.js';
import { cartParams } from './cart-schemas.js';
import { SESSION_ACTIONS, sessionCommand } from './cart-commands.js';
import { ProximityVerifier } from './proximity.js';
import { storeAccess, storeCart } from './store-carts.js';

const MaintenanceBody = Type.Object(
  {
    reason: Type.Union([Type.Enum([...MAINTENANCE_REASONS]), Type.Null()], {
      description: 'Why the cart is out of service; null puts it back into service.',
    }),
    note: Type.Optional(
      Type.String({ pattern: CODE_PATTERN, description: 'A short code, never free text.' }),
    ),
  },
  { additionalProperties: false },
);
type MaintenanceBody = Static<typeof MaintenanceBody>;

const SessionActionBody = Type.Object(
  {
    action: Type.Enum(Object.keys(SESSION_ACTIONS) as (keyof typeof SESSION_ACTIONS)[]),
    session_id: Type.String({ pattern: UUID_PATTERN }),
    proof: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_-]*$',
        maxLength: 4096,
        description:
          "The cart's signed proximity proof frame, base64url, as the tablet read it next to the cart. Without it the answer is 403 proximity-required.",
      }),
    ),
  },
  { additionalProperties: false },
);
type SessionActionBody = Static<typeof SessionActionBody>;

interface CartRoute {
  Params: { store: string; device: string };
}

/** The two overrides: out of service, and pause, cancel or restart a session at the cart. */
export function registerStaffActionRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const security = [{ bearer: [] }];
  const onRequest = authenticate(deps);
  const now = () => (deps.now ? deps.now().getTime() : Date.now());
  const proximity = new ProximityVerifier({ devices: deps.devices, nonces: deps.entities, now });
  const { commands, shadows } = commandServices(deps);

  app.put<CartRoute & { Body: MaintenanceBody }>(
    '/v1/stores/:store/carts/:device/maintenance',
    {
      onRequest,
      config: { auditsItself: true },
      schema: {
        summary: 'Take a cart out of service (cleaning, charging, repair) or put it back',
        description:
          'Stored with the cart, audited, and sent to the cart as a shadow-desired document with maintenance_mode. A cart mid-session finishes the session first.',
        tags: ['staff'],
        security,
        params: cartParams,
        body: MaintenanceBody,
        response: {
          200: {
            type: 'object',
            properties: {
              deviceId: { type: 'string' },
              reason: { type: ['string', 'null'] },
              note: { type: ['string', 'null'] },
              setBy: { type: 'string' },
              setAt: { type: 'string' },
              desiredVersion: { type: 'integer' },
              published: {
                type: 'boolean',
                description: 'The shadow document reached the broker (false: retry the PUT).',
              },
            },
          },
          ...errors,
          503: errorBody,
        },
      },
    },
    async (request) => {
      const { store, device } = request.params;
      const principal = await storeAccess(deps, request, store);
      await storeCart(deps, store, device);
      const audit = requireAudit(deps.audit);
      const { reason } = request.body;
      const note = request.body.note ?? null;
      const at = now();
      // Audited first: an override that cannot be recorded is not made.
      await recorded(
        audit,
        override(
          principal,
          device,
          store,
          reason ? 'take cart out of service' : 'return cart to service',
          {
            reason: reason ?? 'cleared',
            ...(note !== null ? { note } : {}),
          },
        ),
      );
      const state = await deps.entities.setMaintenance(device, {
        reason,
        note,
        setBy: actorLabel(principal),
        at,
      });
      if (!state) throw notFound(`no cart ${device} in store ${store}`);
      const { reason: flag, note: flagNote, setBy, setAt } = state;
      deps.live?.bus.publish(
        'cart',
        { storeId: store, deviceId: device },
        {
          deviceId: device,
          storeId: store,
          change: 'maintenance',
          at: setAt,
          maintenance: { reason: flag, note: flagNote, setBy, setAt },
        },
      );
      // The flag reaches the cart as the shadow's maintenance_mode (retained, versioned there).
      const shadow = await shadows.setDesired(
        device,
        { maintenance_mode: reason !== null },
        actorLabel(principal),
        at,
      );
      return {
        deviceId: device,
        ...state,
        desiredVersion: shadow.desiredVersion,
        published: shadow.published,
      };
    },
  );

  app.post<CartRoute & { Body: SessionActionBody }>(
    '/v1/stores/:store/carts/:device/session-actions',
    {
      onRequest,
      config: { auditsItself: true },
      schema: {
        summary: "Pause, cancel or restart the cart's session, standing at the cart",
        description:
          'Needs a fresh proximity proof the cart signed (good once, for at most 60 s): 403 with proximity-required, -invalid, -wrong-cart, -expired or -replayed otherwise. On a console session, also a passkey step-up in the last 5 minutes (403 fresh-assertion-required; checked before the proof, which stays unused). On success the command goes to the cart (expires in 60 s) and the answer is 202 with its id; the cart reports the outcome on cmd/<id>/response.',
        tags: ['staff'],
        security,
        params: cartParams,
        body: SessionActionBody,
        response: {
          202: {
            type: 'object',
            properties: {
              commandId: { type: 'string' },
              command: { type: 'string' },
              sessionId: { type: 'string' },
              expiresAt: { type: 'string' },
            },
            required: ['commandId', 'command', 'sessionId', 'expiresAt'],
          },
          ...errors,
          503: errorBody,
        },
      },
    },
    async (request, reply) => {
      const { store, device } = request.params;
      const principal = await storeAccess(deps, request, store);
      await storeCart(deps, store, device);
      const { action, session_id: sessionId, proof } = request.body;
      const session = await deps.entities.getSession(sessionId);
      if (!session || session.deviceId !== device) {
        throw notFound(`no session ${sessionId} on cart ${device}`);
      }
      const audit = requireAudit(deps.audit);
      // Before the proof: a proof is good once, and a refusal here must not use it up.
      requireFresh(request, new Date(now()));
      const check = await proximity.verify(device, proof);
      if (!check.ok) throw new ApiError(403, check.code, check.message);
      const at = now();
      // Built here for its id and the audit record; sent through the ledger under that id, so
      // its outcome shows at /v1/commands/<id>.
      const command = sessionCommand(device, action, sessionId, at);
      await recorded(
        audit,
        override(principal, device, store, `${action} session at the cart`, {
          staff_id: auditActor(principal).subject,
          command: command.name,
          command_id: command.command_id,
          session_id: sessionId,
          proximity_nonce: check.proof.nonce,
        }),
      );
      try {
        await commands.sendRequest(command, actorLabel(principal), at);
      } catch {
        throw unavailable('the command could not be sent to the cart; read a new proof and retry');
      }
      return reply.status(202).send({
        commandId: command.command_id,
        command: command.name,
        sessionId,
        expiresAt: command.expires_at,
      });
    },
  );
}

async function recorded(audit: AuditLog, entry: AuditEntry): Promise<void> {
  try {
    await audit.append(entry);
  } catch {
    throw unavailable('the audit log cannot record this override now, so it is not made');
  }
}

function requireAudit(audit: AuditLog | undefined): AuditLog {
  if (!audit)
    throw unavailable('no audit log is configured; staff overrides are not made unaudited');
  return audit;
}

function override(
  principal: ApiPrincipal,
  deviceId: string,
  storeId: string,
  purpose: string,
  detail: Record<string, string>,
): AuditEntry {
  return {
    actor: auditActor(principal),
    action: 'staff-override',
    purpose,
    deviceId,
    storeId,
    detail,
  };
}
