import { X509Certificate } from 'node:crypto';

export interface PemBlock {
  readonly label: string;
  readonly der: Buffer;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** Every PEM block in a text, in order; text between blocks (openssl's comments) is ignored. */
export function pemBlocks(text: string): PemBlock[] {
  return [...text.matchAll(BLOCK)].map((m) => ({
    label: m[1]!,
    der: Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64'),
  }));
}

export function toPem(der: Uint8Array | ArrayBuffer, label: string): string {
  const b64 = Buffer.from(der instanceof ArrayBuffer ? new Uint8Array(der) : der).toString(
    'base64',
  );
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** Certificates of a PEM bundle, parsed by Node (which rejects anything that is not X.509). */
export function certificatesFromPem(text: string): X509Certificate[] {
  return pemBlocks(text)
    .filter((b) => b.label === 'CERTIFICATE')
    .map((b) => new X509Certificate(b.der));
}

/** Node prints serials in upper case and may keep a leading 00; the registry keys them in lower case. */
export function normaliseSerialHex(serial: string): string {
  const hex = serial.toLowerCase().replace(/[^0-9a-f]/g, '');
  const trimmed = hex.replace(/^(00)+(?=[0-9a-f])/, '');
  return trimmed === '' ? '00' : trimmed;
}
