import type { KeyObject, X509Certificate } from 'node:crypto';
import type { FleetCa } from '../ca/fleet-ca.js';
import type { CaGeneration } from '../ca/generation.js';
import {
  readDeviceCertificate,
  type DeviceCertificateInfo,
} from '../certificates/device-certificate.js';
import { validateDeviceChain } from './chain.js';

/** What admission learned from a certificate that stays true while the fleet CA is the same. */
export interface CheckedCertificate {
  readonly info: DeviceCertificateInfo;
  readonly generation: CaGeneration;
  readonly publicKey: KeyObject;
  /** The key as base64 DER SPKI: what ingest verifies the device's messages with. */
  readonly publicKeySpkiBase64: string;
  /** The latest notBefore and earliest notAfter on the path: the path is valid in between. */
  readonly validFrom: number;
  readonly validUntil: number;
}

const DEFAULT_CAPACITY = 200_000;

/**
 * Certificates admission has already checked, by fingerprint. A fleet reconnecting after a
 * restart or a network blip presents the certificates it presented before: parsing each one
 * again (an X.509 parse in JavaScript, the chain's signatures, the key export) cost about 6 ms of
 * event loop per connection, which made a storm of 5,000 reconnects take over a minute.
 * What can change is re-checked on every connection: the time against the path's validity, the
 * revocation list and the registry. An entry is bound to the FleetCa it was checked against, so
 * a rotation (a new FleetCa) checks every certificate again. Least recently used entries go
 * first when the cache is full.
 */
export class CheckedCertificates {
  readonly #entries = new Map<string, { ca: FleetCa; checked: CheckedCertificate }>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  /**
   * The checked certificate for `leaf`, from the cache when it was checked against this CA and
   * `now` is inside its path's validity; otherwise validated now (throwing why it is refused).
   */
  check(
    leaf: X509Certificate,
    supplied: readonly X509Certificate[],
    ca: FleetCa,
    now: Date,
  ): CheckedCertificate {
    const key = leaf.fingerprint256;
    const cached = this.#entries.get(key);
    const t = now.getTime();
    if (
      cached &&
      cached.ca === ca &&
      t >= cached.checked.validFrom &&
      t < cached.checked.validUntil
    ) {
      this.#entries.delete(key);
      this.#entries.set(key, cached);
      return cached.checked;
    }
    const checked = checkCertificate(leaf, supplied, ca, now);
    this.#entries.delete(key);
    this.#entries.set(key, { ca, checked });
    if (this.#entries.size > this.capacity) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    return checked;
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** The full check, uncached: the chain to a trusted root, then the device's identity fields. */
export function checkCertificate(
  leaf: X509Certificate,
  supplied: readonly X509Certificate[],
  ca: FleetCa,
  now: Date,
): CheckedCertificate {
  const { generation, validFrom, validUntil } = validateDeviceChain(leaf, supplied, ca, now);
  const info = readDeviceCertificate(leaf);
  return {
    info,
    generation,
    publicKey: leaf.publicKey,
    publicKeySpkiBase64: info.publicKeySpki.toString('base64'),
    validFrom,
    validUntil,
  };
}
