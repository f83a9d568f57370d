import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './api-deps.js';
import { notFound } from './api-errors.js';
import { authenticate, requireRole } from './auth.js';

/** The platform's embedded databases by the name a backup asks for them (decision 064). */
export const SNAPSHOT_DATABASES = ['entities', 'vault-us', 'vault-eu'] as const;
export type SnapshotDatabase = (typeof SNAPSHOT_DATABASES)[number];

/**
 * A PGlite database has one owner and no lock of its own, so while the platform runs only the
 * platform may copy it: `fleetplane backup` asks here for each one, as a tar of the database
 * directory at one instant. Ops only; the copy holds tier 2 data, and a vault's its region's tier 3
 * ciphertext (still sealed under keys that never leave the keyring).
 */
export function registerBackupRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const onRequest = authenticate(deps);
  app.post<{ Params: { database: SnapshotDatabase } }>(
    '/v1/backup/databases/:database/snapshot',
    {
      onRequest,
      schema: {
        summary: 'A consistent copy of an embedded database, for fleetplane backup (tar)',
        tags: ['operations'],
        security: [{ bearer: [] }],
        params: {
          type: 'object',
          properties: { database: { type: 'string', enum: [...SNAPSHOT_DATABASES] } },
          required: ['database'],
        },
      },
    },
    async (request, reply) => {
      requireRole(request, ['ops']);
      const { database } = request.params;
      const tar = await deps.backupSnapshot?.(database);
      if (tar === undefined) {
        throw notFound(
          `${database} is not an embedded database here (on PostgreSQL, or not created yet)`,
        );
      }
      reply.type('application/x-tar');
      return Buffer.from(tar.buffer, tar.byteOffset, tar.byteLength);
    },
  );
}
