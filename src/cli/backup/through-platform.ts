import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import { backupFailure } from '../../platform/backup/backup-errors.js';
import type { CopyDatabase } from '../../platform/backup/stage.js';
import { platformLayout } from '../../platform/platform-layout.js';
import { issueToken, loadTokenKeys } from '../../surfaces/api/tokens.js';
import { platformApi } from '../platform/platform-client.js';

/**
 * Copies an embedded database of the platform running on `dataDir` through its backup route
 * (the platform is its only owner), unpacking the tar it sends into the stage. A 404 means the
 * database is not embedded there (PostgreSQL) or was never created.
 */
export function throughPlatform(dataDir: string): CopyDatabase {
  return async (name, _from, to) => {
    const api = await platformApi(dataDir);
    const token = await issueToken(
      await loadTokenKeys(platformLayout(dataDir).tokenKey),
      { role: 'ops', subject: 'fleetplane-backup', ttlSeconds: 600 },
      new Date(),
    );
    const response = await api.fetch(`${api.url}/v1/backup/databases/${name}/snapshot`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    if (response.status === 404) {
      await response.arrayBuffer();
      return false;
    }
    if (!response.ok || response.body === null) {
      const why = (await response.text()).slice(0, 300);
      throw backupFailure(
        'snapshot-failed',
        `the platform could not copy ${name}: ${response.status} ${why}`,
      );
    }
    await pipeline(
      Readable.fromWeb(response.body as WebReadableStream),
      tar.x({ cwd: to, strip: 1, strict: true }),
    );
    // The running process's pid: meaningless to the cluster that starts from this copy.
    await rm(join(to, 'postmaster.pid'), { force: true });
    return true;
  };
}
