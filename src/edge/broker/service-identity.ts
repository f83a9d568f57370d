import { readTextFile, writeFileAtomic } from '../../stores/data-dir/index.js';
import { issueServiceCertificate, type FleetCa } from '../identity/index.js';
import { join } from 'node:path';

export const INGEST_SERVICE_NAME = 'fleetplane:ingest';

export interface ServiceCredentials {
  readonly keyPem: string;
  /** Leaf then issuing CA. */
  readonly certChainPem: string;
}

/**
 * The ingest's client certificate for an external broker, kept under DIR/broker/service/.
 * Issued from the newest CA generation on first use and again when a newer generation exists.
 */
export async function ensureServiceCredentials(
  brokerDir: string,
  ca: FleetCa,
  now: Date,
): Promise<ServiceCredentials> {
  const dir = join(brokerDir, 'service');
  const keyFile = join(dir, 'ingest.key.pem');
  const certFile = join(dir, 'ingest.cert.pem');
  const generationFile = join(dir, 'generation');
  const [keyPem, certChainPem, generation] = await Promise.all([
    readTextFile(keyFile),
    readTextFile(certFile),
    readTextFile(generationFile),
  ]);
  if (keyPem && certChainPem && generation?.trim() === String(ca.newest.generation)) {
    return { keyPem, certChainPem };
  }
  const issued = await issueServiceCertificate(ca, INGEST_SERVICE_NAME, { now });
  const chain = issued.certPem + issued.chainPem;
  await writeFileAtomic(keyFile, issued.keyPem, { mode: 0o600 });
  await writeFileAtomic(certFile, chain);
  await writeFileAtomic(generationFile, `${issued.generation}\n`);
  return { keyPem: issued.keyPem, certChainPem: chain };
}
