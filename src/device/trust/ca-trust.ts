import { X509Certificate } from 'node:crypto';

/** One fleet root CA the device trusts, by generation. */
export interface CaRoot {
  readonly generation: number;
  readonly pem: string;
}

/** Where the trusted roots are kept (the cart's flash). */
export interface CaRootStore {
  read(): Promise<readonly CaRoot[] | undefined>;
  write(roots: readonly CaRoot[]): Promise<void>;
}

export type TrustOutcome =
  | { readonly ok: true; readonly added: boolean }
  | { readonly ok: false; readonly code: 'invalid-root' | 'generation-conflict' };

/** The boot message and shadow carry at most four generations (schema maxItems). */
const MAX_ROOTS = 4;

/**
 * The fleet roots a device trusts, by CA generation. During a rotation it trusts the old and the
 * new root at once (its TLS trust is both PEMs concatenated), so certificates from either
 * generation verify and an image that needs the new generation can be accepted. The root from
 * provisioning is generation 1 unless the caller says otherwise.
 */
export class CaTrust {
  #roots: readonly CaRoot[];

  private constructor(
    private readonly store: CaRootStore,
    roots: readonly CaRoot[],
  ) {
    this.#roots = roots;
  }

  static async open(store: CaRootStore, provisioned: CaRoot): Promise<CaTrust> {
    return new CaTrust(store, (await store.read()) ?? [provisioned]);
  }

  generations(): number[] {
    return this.#roots.map((r) => r.generation).sort((a, b) => a - b);
  }

  /** Every trusted root, oldest generation first: what TLS connections verify the server with. */
  trustPem(): string {
    return [...this.#roots]
      .sort((a, b) => a.generation - b.generation)
      .map((r) => `${r.pem.trim()}\n`)
      .filter((pem) => pem.trim() !== '')
      .join('');
  }

  /**
   * Adds a root (the trust-ca command). It must be a CA certificate; a generation already held
   * with another root is a conflict, not a replacement (a rotation adds, it never swaps). Past
   * four generations the oldest is dropped.
   */
  async add(generation: number, pem: string): Promise<TrustOutcome> {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch {
      return { ok: false, code: 'invalid-root' };
    }
    if (!cert.ca) return { ok: false, code: 'invalid-root' };
    const known = this.#roots.find((r) => r.generation === generation);
    if (known) {
      return sameCert(known.pem, cert)
        ? { ok: true, added: false }
        : { ok: false, code: 'generation-conflict' };
    }
    const roots = [...this.#roots, { generation, pem: cert.toString() }]
      .sort((a, b) => a.generation - b.generation)
      .slice(-MAX_ROOTS);
    await this.store.write(roots);
    this.#roots = roots;
    return { ok: true, added: true };
  }
}

function sameCert(pem: string, cert: X509Certificate): boolean {
  try {
    return new X509Certificate(pem).fingerprint256 === cert.fingerprint256;
  } catch {
    return false;
  }
}
