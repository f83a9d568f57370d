// Helpers for identity tests: a data directory with a CA and a store, a clock that tests move,
// and CSRs made with the X.509 library for keys of any kind (a device keystore only makes P-256).
import type { TestContext } from 'node:test';
import { addStore } from '../src/edge/identity/stores/add-store.js';
import { initCa } from '../src/edge/identity/ca/lifecycle.js';
import { openIdentity, type IdentityContext } from '../src/edge/identity/identity.js';
import { subtle, x509, type CryptoKeyPair } from '../src/edge/identity/x509.js';
import { tempDir } from './temp-dir.js';

export const START = new Date('2026-06-01T12:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;

/** A clock that stands still until a test moves it. */
export class TestClock {
  constructor(public current: Date = START) {}
  readonly now = (): Date => new Date(this.current.getTime());
  advanceDays(days: number): Date {
    this.current = new Date(this.current.getTime() + days * DAY_MS);
    return this.now();
  }
}

export interface TestFleet {
  readonly dir: string;
  readonly ctx: IdentityContext;
  readonly clock: TestClock;
}

/** A data directory with an initialised CA and the store 'store-1'. */
export async function testFleet(
  t: TestContext,
  options: { ca?: boolean; start?: Date } = {},
): Promise<TestFleet> {
  const dir = await tempDir(t);
  const clock = new TestClock(options.start);
  const ctx = openIdentity(dir, { now: clock.now });
  if (options.ca !== false) await initCa(ctx.layout, clock.now());
  await addStore(ctx.stores, { id: 'store-1', name: 'Store 1', region: 'eu' }, clock.now());
  return { dir, ctx, clock };
}

export type KeyKind = 'P-256' | 'P-384' | 'RSA';

export async function generateKeys(kind: KeyKind = 'P-256'): Promise<CryptoKeyPair> {
  if (kind === 'RSA') {
    return (await subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      true,
      ['sign', 'verify'],
    )) as CryptoKeyPair;
  }
  return subtle.generateKey({ name: 'ECDSA', namedCurve: kind }, true, ['sign', 'verify']);
}

/** A PEM CSR for `commonName`, signed by `keys` (a fresh key of `kind` when not given). */
export async function makeCsr(
  commonName: string,
  options: { kind?: KeyKind; keys?: CryptoKeyPair } = {},
): Promise<{ pem: string; keys: CryptoKeyPair }> {
  const kind = options.kind ?? 'P-256';
  const keys = options.keys ?? (await generateKeys(kind));
  const signingAlgorithm =
    kind === 'RSA'
      ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
      : { name: 'ECDSA', hash: kind === 'P-384' ? 'SHA-384' : 'SHA-256' };
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${commonName}`,
    keys,
    signingAlgorithm,
  });
  return { pem: csr.toString('pem'), keys };
}
