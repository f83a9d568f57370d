import type { KeyObject } from 'node:crypto';
import { readTextFile, writeFileAtomic } from '../../../stores/data-dir/index.js';
import { signBody, type OtaManifest } from '../../../contract/index.js';
import { OtaSigningFailure } from './ota-signing-failure.js';

/**
 * The manifest file `ota build` writes. `signed` is the exact JSON bytes that were signed
 * (base64) and `signature` their r||s P-256 signature (base64): the two fields an ota-job
 * carries. `manifest` is a readable copy for people and pipelines; nothing trusts it.
 */
export interface SignedManifestFile {
  readonly schema_version: 1;
  readonly type: 'ota-signed-manifest';
  readonly signed: string;
  readonly signature: string;
  readonly manifest: OtaManifest;
}

/** Signs the manifest's compact JSON bytes with the firmware-signing key. */
export function signManifest(manifest: OtaManifest, privateKey: KeyObject): SignedManifestFile {
  const body = Buffer.from(JSON.stringify(manifest), 'utf8');
  return {
    schema_version: 1,
    type: 'ota-signed-manifest',
    signed: body.toString('base64'),
    signature: Buffer.from(signBody(body, privateKey)).toString('base64'),
    manifest,
  };
}

export async function writeSignedManifest(path: string, file: SignedManifestFile): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(file, null, 2) + '\n');
}

/** The signed bytes and signature of a manifest file, as base64 (the ota-job's form) and raw. */
export interface SignedManifestBytes {
  readonly signedBase64: string;
  readonly signatureBase64: string;
  readonly signed: Buffer;
  readonly signature: Buffer;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Reads a manifest file for what a device would be sent. Only the shape is checked here; whether
 * the signature holds and what the signed bytes say is the device's acceptance check.
 */
export async function readSignedManifest(path: string): Promise<SignedManifestBytes> {
  const text = await readTextFile(path);
  if (text === undefined) {
    throw new OtaSigningFailure('corrupt-manifest', `no manifest file at ${path}`);
  }
  return parseSignedManifest(text, path);
}

export function parseSignedManifest(text: string, where = 'the manifest'): SignedManifestBytes {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new OtaSigningFailure('corrupt-manifest', `${where} is not JSON`);
  }
  const file = parsed as Partial<Record<keyof SignedManifestFile, unknown>> | null;
  if (
    typeof file !== 'object' ||
    file === null ||
    file.type !== 'ota-signed-manifest' ||
    file.schema_version !== 1 ||
    typeof file.signed !== 'string' ||
    typeof file.signature !== 'string' ||
    !BASE64.test(file.signed) ||
    !BASE64.test(file.signature)
  ) {
    throw new OtaSigningFailure(
      'corrupt-manifest',
      `${where} is not an ota-signed-manifest (schema_version 1, base64 signed and signature)`,
    );
  }
  return {
    signedBase64: file.signed,
    signatureBase64: file.signature,
    signed: Buffer.from(file.signed, 'base64'),
    signature: Buffer.from(file.signature, 'base64'),
  };
}
