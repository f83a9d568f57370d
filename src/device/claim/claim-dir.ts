import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The files `fleetplane provision claim create --out DIR` writes, as the factory flashes them. */
export const CLAIM_FILES = {
  key: 'claim.key.pem',
  /** The claim certificate, then its issuing CA. */
  cert: 'claim.cert.pem',
  trust: 'trust.pem',
  json: 'claim.json',
} as const;

/** What a device holds from the factory to claim its own certificate with. */
export interface ClaimCredentials {
  readonly claimId: string;
  readonly keyPem: string;
  readonly certChainPem: string;
  /** The fleet's roots, to authenticate the broker. */
  readonly trustPem: string;
}

/** Reads a claim directory; the error names the missing file. */
export async function loadClaimDir(dir: string): Promise<ClaimCredentials> {
  const read = async (name: string) => {
    try {
      return await readFile(join(dir, name), 'utf8');
    } catch {
      throw new Error(
        `${dir} has no ${name}: --claim is the directory 'fleetplane provision claim create --out' wrote`,
      );
    }
  };
  const [keyPem, certChainPem, trustPem, json] = await Promise.all(
    [CLAIM_FILES.key, CLAIM_FILES.cert, CLAIM_FILES.trust, CLAIM_FILES.json].map(read),
  );
  const info = JSON.parse(json!) as { id?: unknown };
  if (typeof info.id !== 'string') throw new Error(`${join(dir, CLAIM_FILES.json)} names no id`);
  return { claimId: info.id, keyPem: keyPem!, certChainPem: certChainPem!, trustPem: trustPem! };
}
