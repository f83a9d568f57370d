import {
  createHash,
  createPrivateKey,
  createPublicKey,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import type { KeyProvider } from '../../stores/keys/index.js';
import { canonicalJson } from './canonical-json.js';
import type { Receipt, SignedReceipt } from './receipt.js';

/** The key provider's name for the receipt-signing seed. */
export const RECEIPT_SIGNING_KEY = 'receipts.signing';

// PKCS#8 for an Ed25519 private key is this fixed 16-byte header followed by the 32-byte seed
// (RFC 8410); node:crypto takes no raw seed, so the header is prepended.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * Signs receipts with Ed25519. The key is derived from a data key of the key provider, so it is
 * stored only wrapped by the provider's master key and is the same on every start; its id is a
 * hash of the public key, so a verifier can tell which key signed a receipt after a rotation.
 */
export class ReceiptSigner {
  readonly publicKey: KeyObject;
  readonly keyId: string;

  private constructor(private readonly privateKey: KeyObject) {
    this.publicKey = createPublicKey(privateKey);
    const spki = this.publicKey.export({ format: 'der', type: 'spki' });
    this.keyId = `receipts-${createHash('sha256').update(spki).digest('hex').slice(0, 16)}`;
  }

  static async fromKeys(keys: Pick<KeyProvider, 'dataKey'>): Promise<ReceiptSigner> {
    const seed = await keys.dataKey(RECEIPT_SIGNING_KEY);
    return ReceiptSigner.fromSeed(seed);
  }

  static fromSeed(seed: Buffer): ReceiptSigner {
    if (seed.length !== 32) throw new RangeError('an Ed25519 seed is 32 bytes');
    const der = Buffer.concat([ED25519_PKCS8_PREFIX, seed]);
    return new ReceiptSigner(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
  }

  /** The public key as PEM (SPKI), for anyone who wants to verify a receipt. */
  publicKeyPem(): string {
    return this.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  }

  sign(receipt: Receipt): SignedReceipt {
    const signature = sign(null, Buffer.from(canonicalJson(receipt), 'utf8'), this.privateKey);
    return { receipt, signature: signature.toString('base64url'), key_id: this.keyId };
  }
}

/**
 * True when `doc` is a signed receipt whose signature verifies with `publicKey` over the canonical
 * JSON of its receipt. Anything malformed is simply not verified.
 */
export function verifyReceipt(doc: unknown, publicKey: KeyObject | string): boolean {
  if (typeof doc !== 'object' || doc === null) return false;
  const { receipt, signature } = doc as Record<string, unknown>;
  if (typeof receipt !== 'object' || receipt === null || typeof signature !== 'string') {
    return false;
  }
  try {
    const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
    const bytes = Buffer.from(canonicalJson(receipt), 'utf8');
    return verify(null, bytes, key, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}
