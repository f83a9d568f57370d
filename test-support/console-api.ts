// The HTTP API over a real PGlite entity store and an in-memory audit log, on a clock the test
// moves, without the rest of the platform: for the console's sign-in and session tests, which go
// through the API's real routes with Fastify's inject. The parts a route needs and these tests do
// not exercise (telemetry, broker, rollouts) are absent; such routes answer 503 or fail loudly.
import { generateKeyPairSync } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../src/surfaces/api/api-deps.js';
import { buildApi } from '../src/surfaces/api/api-server.js';
import type { TokenKeys } from '../src/surfaces/api/tokens.js';
import type { EntityStore } from '../src/stores/entities/entity-store.js';
import { PlatformMetrics } from '../src/shared/observability/metrics.js';
import { MemoryAuditLog } from './memory-audit-log.js';

export const STORES = ['store-a', 'store-b'] as const;
export const CONSOLE_ORIGIN = 'http://localhost:8080';

export interface ConsoleApi {
  readonly app: FastifyInstance;
  readonly audit: MemoryAuditLog;
  readonly tokenKeys: TokenKeys;
  /** The API's clock, in ms; tests move it. */
  readonly clock: { now: number };
}

export async function consoleApi(
  entities: EntityStore,
  overrides: Partial<ApiDeps> = {},
): Promise<ConsoleApi> {
  const clock = { now: Date.parse('2026-11-02T09:00:00.000Z') };
  const now = () => new Date(clock.now);
  const audit = new MemoryAuditLog(now);
  const pair = generateKeyPairSync('ed25519');
  const tokenKeys: TokenKeys = { privateKey: pair.privateKey, publicKey: pair.publicKey };
  const deps = {
    entities,
    tokenKeys,
    audit,
    now,
    version: 'test',
    metrics: new PlatformMetrics(),
    health: () => Promise.resolve({}),
    storeExists: (id: string) => Promise.resolve((STORES as readonly string[]).includes(id)),
    devices: { lookup: () => Promise.resolve(undefined) },
    publish: () => Promise.reject(new Error('no broker in this test')),
    publicUrl: CONSOLE_ORIGIN,
    ...overrides,
  } as unknown as ApiDeps;
  const app = await buildApi(deps);
  return { app, audit, tokenKeys, clock };
}
