import type { SaltInfo, SaltState } from './schedule.js';

/** Injected wherever time decides an outcome, so tests can move through rotation windows. */
export type Clock = () => Date;

/** A salt with its secret material, handed only to code that hashes. */
export interface Salt extends SaltInfo {
  readonly material: Buffer;
}

export type SaltStatus = SaltInfo & SaltState;

/**
 * The key provider port: where salts and data keys come from, for masking now and for per-account
 * keys with crypto-shredding later. The local keyring (files under the data directory, envelope
 * encryption under a master key) is the embedded adapter; a KMS adapter wraps data keys with a
 * KMS key instead. Key material never comes from a rubric or a command line.
 * Every adapter passes the suite in key-provider.contract.ts.
 */
export interface KeyProvider {
  /** The salt direct identifiers are hashed with now; rotates first when a new quarter began. */
  currentSalt(): Promise<Salt>;
  /** A salt by id: the current one, or a previous one within its 30 days; refused otherwise. */
  salt(id: string): Promise<Salt>;
  /** Every salt's id, quarter and state, without material: for status and audits. */
  saltStatus(): Promise<SaltStatus[]>;
  /** Makes a new salt current at once (a suspected leak); the previous one gets its 30 days. */
  rotateSalt(): Promise<Salt>;
  /**
   * A 256-bit data key by name (e.g. `domain.tool-telemetry.token`), created on first use. Stored
   * only wrapped by the provider's master key. Refused once destroyed.
   */
  dataKey(name: string): Promise<Buffer>;
  /** Crypto-shredding: the key is gone for good and the name can never be re-created. */
  destroyDataKey(name: string): Promise<boolean>;
}

const KEY_NAME = /^[a-z0-9][a-z0-9._-]{0,127}$/;

export function isKeyName(name: string): boolean {
  return KEY_NAME.test(name) && !name.includes('..');
}
