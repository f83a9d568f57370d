// @peculiar/x509 resolves its algorithms through tsyringe, which refuses to load without a Reflect
// metadata polyfill; importing it here first, in the only module that imports the library, keeps
// that ordering rule in one place.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509 };
export const subtle = webcrypto.subtle;

// The project compiles without the DOM library, so WebCrypto's types come from Node's.
export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;

/** ECDSA P-256 with SHA-256: the only algorithm fleetplane signs with or accepts from devices. */
export const P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
