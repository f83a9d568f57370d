import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import {
  createFileExclusive,
  readTextFile,
  writeFileAtomic,
} from '../../../stores/data-dir/index.js';
import { otaLayout } from './ota-layout.js';
import { OtaSigningFailure } from './ota-signing-failure.js';

/** The firmware-signing key pair: ECDSA P-256, the curve and wire signature carts verify. */
export interface FirmwareSigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** The SPKI PEM carts are provisioned with (DIR/ota/firmware-signing-public.pem). */
  readonly publicKeyPem: string;
}

/**
 * Loads the firmware-signing key, creating it when `create` is set and there is none yet.
 * Only `ota build` passes `create`: a platform start or a verify never makes a signing key
 * silently, since a new key would be one no cart in the field trusts.
 */
export async function loadFirmwareSigningKey(
  dataDir: string,
  options: { readonly create?: boolean } = {},
): Promise<{ readonly key: FirmwareSigningKey; readonly created: boolean }> {
  const layout = otaLayout(dataDir);
  let pem = await readTextFile(layout.signingKey);
  let created = false;
  if (pem === undefined) {
    if (!options.create) {
      throw new OtaSigningFailure(
        'no-signing-key',
        `no firmware-signing key at ${layout.signingKey}; 'fleetplane ota build' creates it`,
      );
    }
    const fresh = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    // Exclusive create: two builds racing on a new directory agree on one key.
    created = await createFileExclusive(layout.signingKey, fresh, { mode: 0o600 });
    pem = (await readTextFile(layout.signingKey)) ?? fresh;
  }
  const privateKey = parseP256Private(pem, layout.signingKey);
  const publicKey = createPublicKey(privateKey);
  const publicKeyPem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
  // The public file is derived, so it is rewritten when missing or stale, never trusted over the
  // private key it belongs to.
  if ((await readTextFile(layout.signingPublicKey)) !== publicKeyPem) {
    await writeFileAtomic(layout.signingPublicKey, publicKeyPem, { mode: 0o644 });
  }
  return { key: { privateKey, publicKey, publicKeyPem }, created };
}

/**
 * The public key alone, as a cart or a firmware pipeline holds it: `ota verify` uses only this,
 * so it runs where the private key is not present.
 */
export async function loadFirmwareSigningPublicKey(dataDir: string): Promise<KeyObject> {
  const layout = otaLayout(dataDir);
  const pem = await readTextFile(layout.signingPublicKey);
  if (pem === undefined) {
    throw new OtaSigningFailure(
      'no-signing-key',
      `no firmware-signing public key at ${layout.signingPublicKey}; 'fleetplane ota build' creates it`,
    );
  }
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw corrupt(layout.signingPublicKey);
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw corrupt(layout.signingPublicKey);
  }
  return key;
}

/**
 * The public key if `ota build` has made one, undefined if not: for what runs before any image
 * exists (the platform's rollout API, simulated carts). A corrupt key file still throws.
 */
export async function findFirmwareSigningPublicKey(
  dataDir: string,
): Promise<KeyObject | undefined> {
  try {
    return await loadFirmwareSigningPublicKey(dataDir);
  } catch (error) {
    if (error instanceof OtaSigningFailure && error.code === 'no-signing-key') return undefined;
    throw error;
  }
}

function parseP256Private(pem: string, path: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw corrupt(path);
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw corrupt(path);
  }
  return key;
}

const corrupt = (path: string) =>
  new OtaSigningFailure('corrupt-signing-key', `${path} is not an ECDSA P-256 key`);
