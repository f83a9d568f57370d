import { canonicalJson } from './canonical-json.js';

/**
 * verified: the signature holds for this receipt under the platform's public key; invalid: it
 * does not (or the document is not a signed receipt); unsupported: this browser's WebCrypto has
 * no Ed25519, so the page cannot tell.
 */
export type ReceiptCheck = 'verified' | 'invalid' | 'unsupported';

export interface SignedReceipt {
  readonly receipt: Receipt;
  readonly signature: string;
  readonly key_id: string;
}

export interface ReceiptLine {
  readonly barcode: string;
  readonly sku?: string;
  readonly quantity: number;
  readonly price_cents?: number;
}

export interface Receipt {
  readonly receipt_id: string;
  readonly session_id: string;
  readonly store_id: string;
  readonly device_id: string;
  readonly customer: string | null;
  readonly lines: ReceiptLine[];
  readonly total_cents: number;
  readonly paid_cents: number;
  readonly currency: string;
  readonly payment_ref: string;
  readonly issued_at: string;
}

/** The DER bytes of a PEM block (SPKI "PUBLIC KEY"). */
export function pemToDer(pem: string): Uint8Array {
  const body = pem
    .replace(/-----BEGIN [^-]+-----/, '')
    .replace(/-----END [^-]+-----/, '')
    .replace(/\s+/g, '');
  return base64ToBytes(body);
}

export function base64ToBytes(text: string): Uint8Array {
  const standard = text.replace(/-/g, '+').replace(/_/g, '/');
  const padded = standard + '='.repeat((4 - (standard.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Checks a signed receipt as the platform's verifyReceipt does: Ed25519 over the canonical JSON
 * of `receipt`, signature base64url, with the PEM from GET /v1/receipts/public-key.
 */
export async function verifyReceipt(
  doc: unknown,
  publicKeyPem: string,
  subtle: SubtleCrypto = globalThis.crypto.subtle,
): Promise<ReceiptCheck> {
  if (typeof doc !== 'object' || doc === null) return 'invalid';
  const { receipt, signature } = doc as Record<string, unknown>;
  if (typeof receipt !== 'object' || receipt === null || typeof signature !== 'string') {
    return 'invalid';
  }
  let key: CryptoKey;
  try {
    key = await subtle.importKey(
      'spki',
      toBuffer(pemToDer(publicKeyPem)),
      { name: 'Ed25519' },
      false,
      ['verify'],
    );
  } catch (error) {
    // NotSupportedError: no Ed25519 here. Anything else: the key itself is not one.
    return error instanceof DOMException && error.name === 'NotSupportedError'
      ? 'unsupported'
      : 'invalid';
  }
  try {
    const bytes = new TextEncoder().encode(canonicalJson(receipt));
    const ok = await subtle.verify(
      { name: 'Ed25519' },
      key,
      toBuffer(base64ToBytes(signature)),
      toBuffer(bytes),
    );
    return ok ? 'verified' : 'invalid';
  } catch {
    return 'invalid';
  }
}

/** An ArrayBuffer of exactly these bytes (WebCrypto's BufferSource, whatever the view). */
function toBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}
