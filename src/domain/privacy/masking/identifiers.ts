import { createHash, hash } from 'node:crypto';
import { maskFailure } from './errors.js';

/**
 * Buckets 1 and 2. A direct identifier becomes HMAC-SHA256 under the quarter's salt: 64 hex
 * digits, irreversible, different after rotation. A quasi-identifier becomes a token: a keyed
 * PRF of the domain and the value under the domain's own key, so it is stable within a data
 * domain and unrelated in every other; its domain tag lets verify see a token from elsewhere.
 */
export const DIGEST_SHAPE = /^[0-9a-f]{64}$/;
export const TOKEN_SHAPE = /^tok_([0-9a-f]{8})_[0-9a-f]{32}$/;

const DOMAIN_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function checkDomain(domain: string): string {
  if (!DOMAIN_NAME.test(domain)) {
    throw maskFailure(
      'invalid-domain',
      `'${domain}' is not a data domain name (lowercase letters, digits and '-', e.g. tool-telemetry)`,
    );
  }
  return domain;
}

/** Public and derived from the name alone: it identifies a domain, it protects nothing. */
export function domainTag(domain: string): string {
  return createHash('sha256').update(`fleetplane-domain:${domain}`).digest('hex').slice(0, 8);
}

const BLOCK = 64;

/**
 * HMAC-SHA256 (RFC 2104) built from one-shot `crypto.hash` calls with the padded key blocks
 * prepared once. Same output as `createHmac`, which a test checks; measured 10x faster on Node 24
 * (OpenSSL 3.5 makes each `createHmac` object expensive: 51 k/s against 533 k/s here) and equal
 * on Node 20.
 */
export function hmacSha256(key: Buffer): (message: string) => Buffer {
  const k = Buffer.alloc(BLOCK);
  (key.length > BLOCK ? createHash('sha256').update(key).digest() : key).copy(k);
  const ipad = Buffer.alloc(BLOCK);
  const opad = Buffer.alloc(BLOCK);
  for (let i = 0; i < BLOCK; i++) {
    ipad[i] = k[i]! ^ 0x36;
    opad[i] = k[i]! ^ 0x5c;
  }
  return (message) => {
    const inner = hash('sha256', Buffer.concat([ipad, Buffer.from(message, 'utf8')]), 'buffer');
    return hash('sha256', Buffer.concat([opad, inner]), 'buffer');
  };
}

export function hmacDigest(salt: Buffer, value: string): string {
  return hmacSha256(salt)(value).toString('hex');
}

/** Digests under one salt, with the key blocks prepared once for the whole job. */
export function makeHasher(salt: Buffer): (value: string) => string {
  const mac = hmacSha256(salt);
  return (value) => mac(value).toString('hex');
}

export function makeTokenizer(domain: string, key: Buffer): (value: string) => string {
  const prefix = `tok_${domainTag(domain)}_`;
  const label = `${domain}\u0000`;
  const mac = hmacSha256(key);
  return (value) => prefix + mac(label + value).toString('hex', 0, 16);
}

export function normalize(value: string, how: 'none' | 'trim' | 'lowercase' | undefined): string {
  if (how === 'lowercase') return value.trim().toLowerCase();
  if (how === 'trim') return value.trim();
  return value;
}

/** A bounded memo: repeated values (one operator, thousands of rows) are hashed once. */
export class BoundedCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly limit = 50_000) {}
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  set(key: string, value: V): void {
    // Dropping everything at the limit keeps memory flat and costs one refill; an LRU would
    // cost a delete and re-insert on every hit.
    if (this.map.size >= this.limit) this.map.clear();
    this.map.set(key, value);
  }
}
