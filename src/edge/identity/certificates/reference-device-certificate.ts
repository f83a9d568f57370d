import {
  deviceCertificateValidity,
  readDeviceCertificate,
  type IssueDeviceRequest,
  type IssuedDeviceCertificate,
} from './device-certificate.js';
import { DEVICE_URN } from './device-certificate-template.js';
import type { FleetCa } from '../ca/fleet-ca.js';
import { loadSigningKey } from '../ca/generation.js';
import { importPublicKey } from '../ca/keys.js';
import { ORGANISATION, randomSerialHex } from '../ca/profile.js';
import { P256, x509 } from '../x509.js';

const SERIAL_NUMBER_OID = '2.5.4.5';

/**
 * The device certificate of 002 built with @peculiar/x509, as fleetplane issued it before
 * decision 043: kept as the reference the DER template (DeviceCertificateTemplate) is compared
 * with byte for byte, and off the hot path (a few milliseconds of CPU per certificate).
 */
export async function issueDeviceCertificateWithLibrary(
  ca: FleetCa,
  request: IssueDeviceRequest,
  serialHex: string = randomSerialHex(),
): Promise<IssuedDeviceCertificate> {
  const { deviceId, storeId, deviceClass } = request;
  const issuer = ca.newest;
  const { notBefore, notAfter } = deviceCertificateValidity(issuer, request);
  const publicKey = await importPublicKey(request.publicKeySpki);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialHex,
    subject: [
      { O: [ORGANISATION] },
      { OU: [storeId] },
      { [SERIAL_NUMBER_OID]: [deviceId] },
      { CN: [deviceId] },
    ],
    issuer: issuer.issuing.cert.subjectName,
    notBefore,
    notAfter,
    signingAlgorithm: P256,
    publicKey,
    signingKey: request.signingKey ?? (await loadSigningKey(issuer.issuing)),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'url', value: `${DEVICE_URN}device:${deviceId}` },
        { type: 'url', value: `${DEVICE_URN}store:${storeId}` },
        { type: 'url', value: `${DEVICE_URN}class:${deviceClass}` },
      ]),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.issuing.cert, false),
    ],
  });
  const pem = cert.toString('pem') + '\n';
  return { pem, generation: issuer.generation, info: readDeviceCertificate(pem) };
}
