import { ApiError } from '../../surfaces/api/api-errors.js';
import type { ApiDeps } from '../../surfaces/api/api-deps.js';
import { isFailure } from '../../shared/failure.js';
import { nullable } from '../../surfaces/api/schemas.js';
import type { CommandRecord } from '../../stores/entities/entity-store.js';
import { ShadowService } from '../shadow/shadow-service.js';
import { CommandService } from './command-service.js';

/** The services the routes use: the platform's, or ones over the API's own store and publisher. */
export function commandServices(deps: ApiDeps): {
  commands: CommandService;
  shadows: ShadowService;
} {
  const base = { entities: deps.entities, publish: deps.publish, metrics: deps.metrics };
  return {
    commands: deps.commands ?? new CommandService(base),
    shadows: deps.shadows ?? new ShadowService(base),
  };
}

const STATUS: Record<string, [number, ConstructorParameters<typeof ApiError>[1]]> = {
  'unknown-device': [404, 'not-found'],
  'unknown-command': [404, 'not-found'],
  'command-not-allowed': [400, 'bad-request'],
  'bad-command-args': [400, 'bad-request'],
  'bad-shadow': [400, 'bad-request'],
  'not-retryable': [409, 'conflict'],
  'shadow-busy': [409, 'conflict'],
  'publish-failed': [503, 'unavailable'],
};

/** Runs `work`, answering the ledger's and the shadow's failures with their API status. */
export async function asApi<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const mapped = isFailure(error) ? STATUS[error.code] : undefined;
    if (mapped && isFailure(error)) throw new ApiError(mapped[0], mapped[1], error.message);
    throw error;
  }
}

export const commandJsonSchema = {
  type: 'object',
  properties: {
    commandId: { type: 'string' },
    deviceId: { type: 'string' },
    name: { type: 'string' },
    args: { type: 'object', additionalProperties: true },
    requestedBy: { type: 'string' },
    status: { type: 'string', enum: ['pending', 'succeeded', 'failed', 'rejected'] },
    code: { ...nullable('string'), description: "The device's code, or timeout." },
    duplicate: {
      type: 'boolean',
      description: 'The device had run this id before; its first outcome was repeated.',
    },
    attempts: { type: 'integer' },
    createdAt: { type: 'string' },
    sentAt: { type: 'string' },
    expiresAt: { type: 'string' },
    respondedAt: nullable('string'),
    responseMs: { ...nullable('integer'), description: 'Answer time of the latest attempt.' },
  },
  required: ['commandId', 'deviceId', 'name', 'status', 'attempts', 'expiresAt'],
} as const;

export function commandJson(command: CommandRecord) {
  return {
    ...command,
    responseMs:
      command.respondedAt === null
        ? null
        : Math.max(0, Date.parse(command.respondedAt) - Date.parse(command.sentAt)),
  };
}
