import {
  readJsonFile,
  writeFileAtomic,
  writeJsonFileAtomic,
  readTextFile,
} from '../data-dir/index.js';
import { issueServerCertificate, type FleetCa } from '../identity/index.js';
import type { ServerIdentityFiles } from '../platform/platform-layout.js';

/** A TLS server's identity (the broker's, the API's): its key, its certificate and the issuing CA after it. */
export interface ServerIdentity {
  readonly keyPem: string;
  /** Leaf then issuing CA: what a TLS server sends. */
  readonly certChainPem: string;
  readonly hostnames: readonly string[];
  readonly notAfter: Date;
}

interface ServerInfo {
  readonly hostnames: string[];
  readonly generation: number;
  readonly not_after: string;
}

const RENEW_BEFORE_DAYS = 30;

/**
 * Reuses the server certificate in `files` (DIR/broker, DIR/api) when it still fits (same
 * hostnames, newest CA generation, more than 30 days left) and issues a new one otherwise, so a
 * CA rotation or a new hostname takes effect on the next start without a manual step.
 */
export async function ensureServerIdentity(
  files: ServerIdentityFiles,
  ca: FleetCa,
  hostnames: readonly string[],
  now: Date,
): Promise<ServerIdentity> {
  const info = (await readJsonFile(files.info).catch(() => undefined)) as ServerInfo | undefined;
  const keyPem = await readTextFile(files.key);
  const certChainPem = await readTextFile(files.cert);
  const fits =
    info &&
    keyPem &&
    certChainPem &&
    info.generation === ca.newest.generation &&
    sameNames(info.hostnames, hostnames) &&
    Date.parse(info.not_after) - now.getTime() > RENEW_BEFORE_DAYS * 86_400_000;
  if (fits) {
    return { keyPem, certChainPem, hostnames: info.hostnames, notAfter: new Date(info.not_after) };
  }
  const issued = await issueServerCertificate(ca, hostnames, { now });
  const chain = issued.certPem + issued.chainPem;
  await writeFileAtomic(files.key, issued.keyPem, { mode: 0o600 });
  await writeFileAtomic(files.cert, chain);
  await writeJsonFileAtomic(files.info, {
    hostnames: [...hostnames],
    generation: issued.generation,
    not_after: issued.notAfter.toISOString(),
  } satisfies ServerInfo);
  return { keyPem: issued.keyPem, certChainPem: chain, hostnames, notAfter: issued.notAfter };
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}
