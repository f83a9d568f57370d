import { join } from 'node:path';
import { readTextFile, writeFileAtomic } from '../../stores/data-dir/index.js';
import type { ProvisionResult } from '../../edge/identity/index.js';

export const OUTPUT_FILES = {
  key: 'device.key.pem',
  cert: 'device.cert.pem',
  chain: 'chain.pem',
  trust: 'trust.pem',
  json: 'device.json',
} as const;

/** What the device needs, written to --out; files already holding the same content are left alone. */
export async function writeProvisionOutput(
  out: string,
  result: ProvisionResult,
): Promise<string[]> {
  const { info } = result;
  const files: [string, string][] = [
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
  const written: string[] = [];
  for (const [name, content] of files) {
    const path = join(out, name);
    if ((await readTextFile(path)) === content) continue;
    await writeFileAtomic(path, content);
    written.push(name);
  }
  return written;
}

export function readExistingCertificate(out: string): Promise<string | undefined> {
  return readTextFile(join(out, OUTPUT_FILES.cert));
}
