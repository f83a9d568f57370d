import { copyFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../../stores/data-dir/index.js';
import type { DataLayout } from '../../stores/data-dir/index.js';
import type { FleetCa } from '../identity/index.js';
import type { PlatformLayout } from '../../platform/platform-layout.js';
import { ensureServerIdentity } from './server-identity.js';
import { INGEST_SERVICE_NAME } from './service-identity.js';

export interface BrokerTlsFiles {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
  readonly crl: string;
}

/**
 * What any external broker needs for the fleet's mutual TLS, written to `outDir`: the trusted CA
 * generations, the broker's server certificate (the embedded broker's, issued from the fleet
 * CA for `hostnames`) and key, and the fleet's CRLs.
 */
export async function writeBrokerTlsFiles(
  identityLayout: DataLayout,
  layout: PlatformLayout,
  ca: FleetCa,
  options: { readonly outDir: string; readonly hostnames: readonly string[]; readonly now: Date },
): Promise<BrokerTlsFiles> {
  const out = resolve(options.outDir);
  await mkdir(out, { recursive: true });
  const server = await ensureServerIdentity(
    layout.brokerServer,
    ca,
    options.hostnames,
    options.now,
  );
  const trusted = ca
    .trustedAt(options.now)
    .flatMap((g) => [g.root.pem.trim(), g.issuing.pem.trim()])
    .join('\n');
  const files = {
    ca: join(out, 'ca.pem'),
    cert: join(out, 'server.cert.pem'),
    key: join(out, 'server.key.pem'),
    crl: join(out, 'crl.pem'),
  };
  await writeFileAtomic(files.ca, `${trusted}\n`);
  await writeFileAtomic(files.cert, server.certChainPem);
  await writeFileAtomic(files.key, server.keyPem, { mode: 0o600 });
  await copyFile(identityLayout.crl, files.crl);
  return files;
}

/**
 * The ingest service account's topics, one list for every broker's ACL: it reads what devices
 * publish (through the shared subscription) and writes feedback, commands, shadows and jobs.
 */
export const INGEST_ACL = {
  user: INGEST_SERVICE_NAME,
  read: ['dt/#', 'cmd/+/response', 'shadow/+/reported', 'jobs/+/status'],
  write: ['devices/errors/#', 'cmd/+/request', 'shadow/+/desired', 'jobs/+/notify'],
} as const;
