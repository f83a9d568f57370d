/**
 * The manifest file `fleetplane ota build` writes (src/ota/signing/signed-manifest.ts): `signed`
 * and `signature` in base64 are what the platform checks and sends; `manifest` is a readable copy
 * the page shows, never trusted (the platform reads the signed bytes).
 */
export interface ManifestFile {
  readonly signed: string;
  readonly signature: string;
  readonly version: string | null;
  readonly deviceClass: string | null;
  readonly sha256: string | null;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The file's parts, or a sentence saying why it is not a signed manifest. */
export function readManifestFile(text: string): ManifestFile | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'the manifest file is not JSON';
  }
  const file = parsed as Record<string, unknown> | null;
  if (
    typeof file !== 'object' ||
    file === null ||
    file['type'] !== 'ota-signed-manifest' ||
    typeof file['signed'] !== 'string' ||
    typeof file['signature'] !== 'string' ||
    !BASE64.test(file['signed']) ||
    !BASE64.test(file['signature'])
  ) {
    return 'this is not a signed manifest from fleetplane ota build (type ota-signed-manifest)';
  }
  let readable: Record<string, unknown> = {};
  try {
    readable = JSON.parse(atob(file['signed'])) as Record<string, unknown>;
  } catch {
    // The platform will say what is wrong with the signed bytes.
  }
  const text_ = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    signed: file['signed'],
    signature: file['signature'],
    version: text_(readable['version']),
    deviceClass: text_(readable['device_class']),
    sha256: text_(readable['sha256']),
  };
}

/** SHA-256 of the image, hex, as the upload path and the manifest name it. */
export async function sha256Hex(
  bytes: ArrayBuffer,
  subtle: SubtleCrypto = globalThis.crypto.subtle,
): Promise<string> {
  const digest = new Uint8Array(await subtle.digest('SHA-256', bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}
