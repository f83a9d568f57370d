// Signed firmware for device-side OTA tests: a real P-256 firmware-signing key, images with
// manifests that describe them, and ota-job documents as the cloud would publish them.
import {
  createHash,
  generateKeyPairSync,
  randomBytes,
  randomUUID,
  type KeyObject,
} from 'node:crypto';
import { signBody, type OtaJob, type OtaManifest } from '../src/contract/index.js';
import { P256, subtle, x509 } from '../src/edge/identity/x509.js';

export interface FirmwareSigner {
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
}

export function firmwareSigner(): FirmwareSigner {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

export interface FirmwareImage {
  readonly manifest: OtaManifest;
  readonly image: Uint8Array;
  /** The exact bytes signed, and the r||s signature. */
  readonly signed: Uint8Array;
  readonly signature: Uint8Array;
}

/** An image of random bytes and its signed manifest, valid from a day before `now` for 30 days. */
export function firmwareImage(
  signer: FirmwareSigner,
  now: number,
  fields: Partial<OtaManifest> = {},
  size = 4096,
): FirmwareImage {
  const image = new Uint8Array(randomBytes(size));
  const manifest: OtaManifest = {
    version: '2.5.0',
    device_class: 'cart',
    hardware_revisions: ['v2-proto'],
    size: image.byteLength,
    sha256: createHash('sha256').update(image).digest('hex'),
    issued_at: new Date(now - 86_400_000).toISOString(),
    expires_at: new Date(now + 30 * 86_400_000).toISOString(),
    min_version: '2.4.0',
    ca_generation: 1,
    ...fields,
  };
  const signed = new TextEncoder().encode(JSON.stringify(manifest));
  return { manifest, image, signed, signature: signBody(signed, signer.privateKey) };
}

/** The ota-job carrying `firmware` for `deviceId` (the URL names the image for a fake download). */
export function otaJob(
  deviceId: string,
  firmware: Pick<FirmwareImage, 'signed' | 'signature' | 'manifest'>,
  now: number,
  jobId: string = randomUUID(),
): OtaJob {
  return {
    schema_version: 1,
    device_id: deviceId,
    type: 'ota-job',
    ts: new Date(now).toISOString(),
    job_id: jobId,
    rollout_id: randomUUID(),
    manifest: {
      signed: Buffer.from(firmware.signed).toString('base64'),
      signature: Buffer.from(firmware.signature).toString('base64'),
    },
    url: `https://fleet.test/v1/device/firmware/${firmware.manifest.version}?expires=${now + 900_000}&sig=00`,
    url_expires_at: new Date(now + 900_000).toISOString(),
  };
}

/** A self-signed CA certificate, PEM: a new fleet root for a CA rotation (trust-ca). */
export async function fleetCaRootPem(commonName: string, ca = true): Promise<string> {
  const keys = await subtle.generateKey(P256, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8).toString('hex'),
    name: `CN=${commonName}`,
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + 365 * 86_400_000),
    signingAlgorithm: P256,
    keys,
    extensions: [new x509.BasicConstraintsExtension(ca, undefined, true)],
  });
  return cert.toString('pem');
}
