import { KeyObject, X509Certificate } from 'node:crypto';
import {
  isDeviceClass,
  isDeviceId,
  isStoreId,
  type DeviceClass,
  type DeviceId,
  type StoreId,
} from '../../../contract/ids.js';
import { addMinutes, addYears, earliest } from '../clock.js';
import { identityFailure } from '../errors.js';
import type { FleetCa } from '../ca/fleet-ca.js';
import { loadSigningKey, type CaCertificate, type CaGeneration } from '../ca/generation.js';
import { BACKDATE_MINUTES, DEVICE_VALIDITY_YEARS, randomSerialHex } from '../ca/profile.js';
import { normaliseSerialHex } from '../pem.js';
import { x509, type CryptoKey } from '../x509.js';
import {
  DEVICE_URN as URN,
  DeviceCertificateTemplate,
  certificatePem,
  fingerprint256,
} from './device-certificate-template.js';
import { p256Spki } from './p256-key.js';

/** What the broker, ingest and the registry need from a device certificate. */
export interface DeviceCertificateInfo {
  readonly deviceId: DeviceId;
  readonly storeId: StoreId;
  readonly deviceClass: DeviceClass;
  /** Lower-case hex without separators; the registry and revocation log key on it. */
  readonly certSerialHex: string;
  /** Node's format (AB:CD:…), as tls.TLSSocket#getPeerCertificate() reports it. */
  readonly fingerprint256: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** DER SubjectPublicKeyInfo. */
  readonly publicKeySpki: Buffer;
}

export interface IssueDeviceRequest {
  readonly deviceId: DeviceId;
  readonly storeId: StoreId;
  readonly deviceClass: DeviceClass;
  /** The device's P-256 public key, DER SPKI, taken from a verified CSR. */
  readonly publicKeySpki: Uint8Array;
  readonly now: Date;
  /** Shorter validity than the profile's, for tests and short-lived test fleets. */
  readonly notAfter?: Date;
  /**
   * The newest generation's issuing key, loaded once by a batch (loadIssuer); without it the
   * key is read from disk for this one signature.
   */
  readonly signingKey?: CryptoKey;
}

export interface IssuedDeviceCertificate {
  readonly pem: string;
  readonly generation: number;
  readonly info: DeviceCertificateInfo;
}

/**
 * Issues a device certificate from the newest generation. The subject's CN is the device id
 * because Mosquitto's use_identity_as_username takes the CN; the SAN URIs carry device, store
 * and class in a form that needs no DN parsing. The certificate is built from the issuing CA's
 * DER template and signed with node:crypto (decision 043); its fields are known, so they are
 * returned without parsing it again.
 */
export async function issueDeviceCertificate(
  ca: FleetCa,
  request: IssueDeviceRequest,
): Promise<IssuedDeviceCertificate> {
  const { deviceId, storeId, deviceClass } = request;
  // The certificate is not read back (the library builder's read refused these), and the
  // template's string encoding is pinned for these characters only.
  if (!isDeviceId(deviceId) || !isStoreId(storeId) || !isDeviceClass(deviceClass)) {
    throw identityFailure(
      'not-a-device-certificate',
      `cannot issue for device '${deviceId}', store '${storeId}', class '${deviceClass}': not valid ids`,
    );
  }
  const issuer = ca.newest;
  const { notBefore, notAfter } = deviceCertificateValidity(issuer, request);
  const publicKeySpki = p256Spki(request.publicKeySpki);
  const serialHex = randomSerialHex();
  const signingKey = KeyObject.from(request.signingKey ?? (await loadSigningKey(issuer.issuing)));
  const der = await templateFor(issuer.issuing).issue(
    { serialHex, deviceId, storeId, deviceClass, publicKeySpki, notBefore, notAfter },
    signingKey,
  );
  return {
    pem: certificatePem(der),
    generation: issuer.generation,
    info: {
      deviceId,
      storeId,
      deviceClass,
      certSerialHex: normaliseSerialHex(serialHex),
      fingerprint256: fingerprint256(der),
      // DER times hold whole seconds.
      notBefore: wholeSeconds(notBefore),
      notAfter: wholeSeconds(notAfter),
      publicKeySpki,
    },
  };
}

/**
 * The validity window of a new device certificate: backdated for clock skew, the profile's
 * years (or the request's shorter end), never past the issuing CA's own end.
 */
export function deviceCertificateValidity(
  issuer: CaGeneration,
  request: Pick<IssueDeviceRequest, 'now' | 'notAfter'>,
): { notBefore: Date; notAfter: Date } {
  const { now } = request;
  if (issuer.issuing.cert.notAfter.getTime() <= now.getTime()) {
    throw identityFailure(
      'ca-expired',
      `the issuing CA of generation ${issuer.generation} has expired; run 'fleetplane ca rotate'`,
    );
  }
  return {
    notBefore: addMinutes(now, -BACKDATE_MINUTES),
    notAfter: earliest(
      request.notAfter ?? addYears(now, DEVICE_VALIDITY_YEARS),
      issuer.issuing.cert.notAfter,
    ),
  };
}

// One template per issuing CA certificate, for as long as its FleetCa is held.
const templates = new WeakMap<CaCertificate, DeviceCertificateTemplate>();

function templateFor(issuing: CaCertificate): DeviceCertificateTemplate {
  let template = templates.get(issuing);
  if (!template) {
    template = new DeviceCertificateTemplate(issuing);
    templates.set(issuing, template);
  }
  return template;
}

function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/**
 * Reads the identity a device certificate claims. It checks the certificate's shape only, not
 * who signed it: admission (admitDevice) decides whether to believe it.
 */
export function readDeviceCertificate(
  certificate: string | Uint8Array | X509Certificate,
): DeviceCertificateInfo {
  let node: X509Certificate;
  try {
    node = certificate instanceof X509Certificate ? certificate : new X509Certificate(certificate);
  } catch {
    throw identityFailure('malformed-certificate', 'not a readable X.509 certificate');
  }
  return readNatively(node) ?? readParsed(node);
}

/**
 * The same reading from what Node's X509Certificate shows natively (about 0.1 ms, where the
 * JavaScript ASN.1 parse below takes about 3 ms: the cost of a device's first connection).
 * Undefined unless everything is as the fleet CA issues it: plain URIs and one plain CN equal to
 * the device id; anything else (quoted or escaped values, extra names) is left to the full parse,
 * which refuses it with the exact reason.
 */
export function readNatively(node: X509Certificate): DeviceCertificateInfo | undefined {
  const uris: string[] = [];
  for (const entry of (node.subjectAltName ?? '').split(', ')) {
    if (!entry.startsWith('URI:') || entry.includes('"')) return undefined;
    uris.push(entry.slice('URI:'.length));
  }
  const cns = node.subject
    .split('\n')
    .filter((line) => line.startsWith('CN='))
    .map((line) => line.slice('CN='.length));
  const notBefore = new Date(node.validFrom);
  const notAfter = new Date(node.validTo);
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime())) return undefined;
  return deviceInfo(node, uris, cns, { notBefore, notAfter });
}

export function readParsed(node: X509Certificate): DeviceCertificateInfo {
  let parsed: x509.X509Certificate;
  try {
    parsed = new x509.X509Certificate(node.raw);
  } catch {
    throw identityFailure('malformed-certificate', 'not a readable X.509 certificate');
  }
  const uris = (parsed.getExtension(x509.SubjectAlternativeNameExtension)?.names.items ?? [])
    .filter((n) => n.type === 'url')
    .map((n) => n.value);
  const info = deviceInfo(node, uris, parsed.subjectName.getField('CN'), parsed);
  if (!info) {
    throw identityFailure(
      'not-a-device-certificate',
      `certificate '${parsed.subject}' does not name exactly one device, store and class in urn:fleetplane: URIs with a matching CN`,
    );
  }
  return info;
}

/**
 * The identity a certificate names, however its URIs and CNs were read; undefined unless it
 * names exactly one valid device, store and class and one CN equal to the device id.
 */
function deviceInfo(
  node: X509Certificate,
  uris: readonly string[],
  cns: readonly string[],
  validity: { readonly notBefore: Date; readonly notAfter: Date },
): DeviceCertificateInfo | undefined {
  const deviceId = single(uris, 'device');
  const storeId = single(uris, 'store');
  const deviceClass = single(uris, 'class');
  if (
    deviceId === undefined ||
    !isDeviceId(deviceId) ||
    storeId === undefined ||
    !isStoreId(storeId) ||
    deviceClass === undefined ||
    !isDeviceClass(deviceClass) ||
    cns.length !== 1 ||
    cns[0] !== deviceId
  ) {
    return undefined;
  }
  return {
    deviceId,
    storeId,
    deviceClass,
    certSerialHex: normaliseSerialHex(node.serialNumber),
    fingerprint256: node.fingerprint256,
    notBefore: validity.notBefore,
    notAfter: validity.notAfter,
    publicKeySpki: node.publicKey.export({ format: 'der', type: 'spki' }),
  };
}

function single(uris: readonly string[], kind: string): string | undefined {
  const prefix = `${URN}${kind}:`;
  const values = uris.filter((u) => u.startsWith(prefix)).map((u) => u.slice(prefix.length));
  return values.length === 1 ? values[0] : undefined;
}
