import { createHash, createHmac } from 'node:crypto';
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

export function hmacDigest(salt: Buffer, value: string): string {
  return createHmac('sha256', salt).update(value, 'utf8').digest('hex');
}

export function makeTokenizer(domain: string, key: Buffer): (value: string) => string {
  const prefix = `tok_${domainTag(domain)}_`;
  const label = `${domain}\u0000`;
  return (value) =>
    prefix +
    createHmac('sha256', key)
      .update(label + value, 'utf8')
      .digest('hex')
      .slice(0, 32);
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
