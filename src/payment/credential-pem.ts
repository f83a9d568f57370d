import { createPrivateKey, X509Certificate } from 'node:crypto';
import { pemBlocks, toPem } from '../edge/identity/pem.js';

/** A private key and its certificate kept in one PEM file, so one atomic write replaces both. */
export interface Credential {
  readonly keyPem: string;
  readonly certPem: string;
  readonly cert: X509Certificate;
}

export function joinCredential(keyPem: string, certPem: string): string {
  return keyPem.trim() + '\n' + certPem.trim() + '\n';
}

/** The key and certificate of a credential file; undefined unless it holds exactly one of each. */
export function splitCredential(text: string): Credential | undefined {
  const blocks = pemBlocks(text);
  const keys = blocks.filter((b) => b.label === 'PRIVATE KEY');
  const certs = blocks.filter((b) => b.label === 'CERTIFICATE');
  if (keys.length !== 1 || certs.length !== 1) return undefined;
  try {
    const cert = new X509Certificate(certs[0]!.der);
    const keyPem = toPem(keys[0]!.der, 'PRIVATE KEY');
    if (!matches(keyPem, cert)) return undefined;
    return { keyPem, certPem: toPem(certs[0]!.der, 'CERTIFICATE'), cert };
  } catch {
    return undefined;
  }
}

/** Whether the key is the certificate's: a key and certificate written by two runs never pair. */
function matches(keyPem: string, cert: X509Certificate): boolean {
  return cert.checkPrivateKey(createPrivateKey(keyPem));
}

/** The certificate of a PEM file holding exactly one; undefined otherwise. */
export function singleCertificate(text: string | undefined): X509Certificate | undefined {
  if (text === undefined) return undefined;
  const certs = pemBlocks(text).filter((b) => b.label === 'CERTIFICATE');
  if (certs.length !== 1) return undefined;
  try {
    return new X509Certificate(certs[0]!.der);
  } catch {
    return undefined;
  }
}
