import type { X509Certificate } from 'node:crypto';
import type { DataLayout } from '../../../stores/data-dir/index.js';
import { earliest } from '../clock.js';
import { identityFailure } from '../errors.js';
import { listGenerationNumbers, loadGeneration, type CaGeneration } from './generation.js';

/**
 * The fleet CA as it is on disk: every generation, oldest first. The newest generation issues;
 * an older one stays trusted until the overlap granted by the rotation that replaced it ends.
 */
export class FleetCa {
  constructor(readonly generations: readonly CaGeneration[]) {
    if (generations.length === 0) throw new Error('a fleet CA has at least one generation');
  }

  /** The generation that issues every new certificate. */
  get newest(): CaGeneration {
    return this.generations[this.generations.length - 1]!;
  }

  generation(n: number): CaGeneration | undefined {
    return this.generations.find((g) => g.generation === n);
  }

  /**
   * Until when a generation's root is trusted: the newest until its root expires, an older one
   * until the overlap of the rotation that superseded it ends (or its root expires, if sooner).
   */
  trustedUntil(g: CaGeneration): Date {
    const rootEnd = g.root.cert.notAfter;
    const successor = this.generations.find((s) => s.generation > g.generation);
    if (!successor) return rootEnd;
    return earliest(successor.previousTrustedUntil ?? successor.createdAt, rootEnd);
  }

  /**
   * Whether a root is an anchor at `now`. A root's notBefore is left to validation, which
   * reports 'not-yet-valid' (a device or server with a clock set in the past) rather than an
   * untrusted issuer.
   */
  isTrusted(g: CaGeneration, now: Date): boolean {
    return now.getTime() < this.trustedUntil(g).getTime();
  }

  /** Generations whose roots are trusted at `now`, oldest first. */
  trustedAt(now: Date): CaGeneration[] {
    return this.generations.filter((g) => this.isTrusted(g, now));
  }

  /** Every root trusted at `now`, as one PEM bundle. */
  trustBundlePem(now: Date): string {
    return this.trustedAt(now)
      .map((g) => g.root.pem.trim() + '\n')
      .join('');
  }

  /** The generation whose issuing CA issued `cert` (matched by name and signature). */
  issuerOf(cert: X509Certificate): CaGeneration | undefined {
    return this.generations.find(
      (g) => cert.checkIssued(g.issuing.node) && cert.verify(g.issuing.node.publicKey),
    );
  }

  /** Generations whose overlap window is open at `now`: superseded but still trusted. */
  inOverlap(now: Date): CaGeneration[] {
    return this.trustedAt(now).filter((g) => g !== this.newest);
  }
}

/** Loads the CA, or fails with the command that creates it. */
export async function loadFleetCa(layout: DataLayout): Promise<FleetCa> {
  const ca = await findFleetCa(layout);
  if (!ca) {
    throw identityFailure(
      'ca-not-initialised',
      `no fleet CA in ${layout.caDir}; run 'fleetplane ca init --data ${layout.root}' first`,
    );
  }
  return ca;
}

export async function findFleetCa(layout: DataLayout): Promise<FleetCa | undefined> {
  const numbers = await listGenerationNumbers(layout);
  if (numbers.length === 0) return undefined;
  return new FleetCa(await Promise.all(numbers.map((n) => loadGeneration(layout, n))));
}
