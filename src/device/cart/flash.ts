import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CatalogSnapshot, SessionLine } from '../../contract/index.js';
import { atomicWrite } from '../core/atomic-write.js';
import type { CommandOutcome } from '../core/command-book.js';
import { DeviceFlash, openFlashDir, type QueuedPayload } from '../core/device-flash.js';
import type { CaRoot } from '../trust/ca-trust.js';

/**
 * The session the cart holds across sleep and reboot. Deliberately without the customer: no
 * customer id, name, loyalty number, payment token or auth token ever reaches flash (PRD: no PII
 * at rest; decision 013).
 */
export interface HeldSession {
  readonly session_id: string;
  readonly status: 'active' | 'paused';
  /** Simulated ms since the epoch. */
  readonly started_at: number;
  readonly scan_seq: number;
  readonly lines: readonly SessionLine[];
  readonly weight_mismatches: number;
}

const SESSION = 'session.json';
const CATALOG = 'catalog.json';
const CA_ROOTS = 'ca-roots.json';

/**
 * The cart's 4 MB SPI flash as a directory: what every device's flash holds (counter, command
 * book, boot slots, seal key, store-and-forward queue; device-flash.ts) plus the held session,
 * the catalog and the trusted fleet roots. Every write is atomic, so a power cut leaves the
 * previous or the new version, never half of one.
 */
export class Flash extends DeviceFlash {
  /**
   * `sync: false` skips the fsync of each write (still atomic by rename, not durable across a
   * host crash): for simulations whose time runs thousands of times faster than the host's disk.
   */
  static override async open(dir: string, options: { sync?: boolean } = {}): Promise<Flash> {
    return new Flash(dir, await openFlashDir(dir), options.sync ?? true);
  }

  async readSession(): Promise<HeldSession | undefined> {
    return this.readJson<HeldSession>(SESSION);
  }

  async writeSession(session: HeldSession | undefined): Promise<void> {
    if (session === undefined) await rm(join(this.dir, SESSION), { force: true });
    else await this.write(SESSION, JSON.stringify(session));
  }

  async readCatalog(): Promise<CatalogSnapshot | undefined> {
    return this.readJson<CatalogSnapshot>(CATALOG);
  }

  async writeCatalog(snapshot: CatalogSnapshot): Promise<void> {
    await this.write(CATALOG, JSON.stringify(snapshot));
  }

  /** The fleet roots the cart trusts, by CA generation: public, so flash may hold them. */
  async readCaRoots(): Promise<CaRoot[] | undefined> {
    return this.readJson<CaRoot[]>(CA_ROOTS);
  }

  async writeCaRoots(roots: readonly CaRoot[]): Promise<void> {
    await this.write(CA_ROOTS, JSON.stringify(roots));
  }
}

export { atomicWrite };
export type { CommandOutcome, QueuedPayload };
