import { join } from 'node:path';
import { readTextFile, writeFilesAtomic } from '../../stores/data-dir/index.js';
import type { ProvisionResult } from '../../edge/identity/index.js';

export const OUTPUT_FILES = {
  key: 'device.key.pem',
  cert: 'device.cert.pem',
  chain: 'chain.pem',
  trust: 'trust.pem',
  json: 'device.json',
} as const;

/**
 * What the device needs, written to --out; files already holding the same content are left
 * alone. The others are replaced together, each atomically, with one sync of the directory.
 */
export async function writeProvisionOutput(
  out: string,
  result: ProvisionResult,
): Promise<string[]> {
  const changed: [string, string][] = [];
  for (const [name, content] of provisionOutputFiles(result)) {
    if ((await readTextFile(join(out, name))) !== content) changed.push([name, content]);
  }
  await writeFilesAtomic(out, changed);
  return changed.map(([name]) => name);
}

/** The device's files but its key, name and content. */
export function provisionOutputFiles(result: ProvisionResult): [string, string][] {
  const { info } = result;
  return [
    [OUTPUT_FILES.cert, result.certificatePem],
    [OUTPUT_FILES.chain, result.chainPem],
    [OUTPUT_FILES.trust, result.trustPem],
    [
      OUTPUT_FILES.json,
      JSON.stringify(
        {
          serial: info.deviceId,
          store: info.storeId,
          class: info.deviceClass,
          cert_serial: info.certSerialHex,
          fingerprint256: info.fingerprint256,
          generation: result.generation,
          not_before: info.notBefore.toISOString(),
          not_after: info.notAfter.toISOString(),
          registered: result.record !== undefined,
        },
        null,
        2,
      ) + '\n',
    ],
  ];
}

export function readExistingCertificate(out: string): Promise<string | undefined> {
  return readTextFile(join(out, OUTPUT_FILES.cert));
}
