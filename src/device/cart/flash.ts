import { mkdir, readdir, readFile, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { CatalogSnapshot, SealKey, SessionLine } from '../../contract/index.js';
import type { BootState } from '../firmware/boot-slots.js';
import { atomicWrite } from '../core/atomic-write.js';
import type { CommandOutcome } from '../core/command-book.js';
import { CounterFile } from '../link/counter-file.js';
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

/** A signed message waiting for a PUBACK: its counter and exactly the bytes that were signed. */
export interface QueuedPayload {
  readonly counter: number;
  readonly payload: Uint8Array;
}

const SESSION = 'session.json';
const CATALOG = 'catalog.json';
const SEAL_KEY = 'seal-key.json';
const COMMANDS = 'commands.json';
const BOOTS = 'boot-count';
const BOOT_SLOTS = 'boot-slots.json';
const CA_ROOTS = 'ca-roots.json';
const QUEUE = 'queue';
/** Executed command ids kept; commands expire within minutes, so a few hundred is plenty. */
const MAX_COMMANDS = 500;

/**
 * The cart's 4 MB SPI flash as a directory. Every write is atomic (a temporary file, fsync,
 * rename), so a power cut leaves the previous or the new version, never half of one; stray
 * temporary files from a cut are ignored and swept on open.
 */
export class Flash {
  /** Writes under way, so a power-off can wait for them (see settled). */
  readonly #writes = new Set<Promise<unknown>>();

  private constructor(
    readonly dir: string,
    readonly counter: CounterFile,
    private readonly sync: boolean,
  ) {}

  /**
   * `sync: false` skips the fsync of each write (still atomic by rename, not durable across a
   * host crash): for simulations whose time runs thousands of times faster than the host's disk.
   */
  static async open(dir: string, options: { sync?: boolean } = {}): Promise<Flash> {
    await mkdir(join(dir, QUEUE), { recursive: true });
    for (const sub of ['', QUEUE]) {
      for (const name of await readdir(join(dir, sub))) {
        if (name.endsWith('.tmp')) await unlink(join(dir, sub, name)).catch(() => undefined);
      }
    }
    return new Flash(dir, await CounterFile.open(dir), options.sync ?? true);
  }

  async readSession(): Promise<HeldSession | undefined> {
    return this.#readJson<HeldSession>(SESSION);
  }

  async writeSession(session: HeldSession | undefined): Promise<void> {
    if (session === undefined) await rm(join(this.dir, SESSION), { force: true });
    else await this.#write(join(this.dir, SESSION), JSON.stringify(session));
  }

  async readCatalog(): Promise<CatalogSnapshot | undefined> {
    return this.#readJson<CatalogSnapshot>(CATALOG);
  }

  async writeCatalog(snapshot: CatalogSnapshot): Promise<void> {
    await this.#write(join(this.dir, CATALOG), JSON.stringify(snapshot));
  }

  /** The identity service's public seal key: not a secret, so flash may hold it. */
  async readSealKey(): Promise<SealKey | undefined> {
    return this.#readJson<SealKey>(SEAL_KEY);
  }

  async writeSealKey(key: SealKey): Promise<void> {
    await this.#write(join(this.dir, SEAL_KEY), JSON.stringify(key));
  }

  async readCommands(): Promise<CommandOutcome[]> {
    return (await this.#readJson<CommandOutcome[]>(COMMANDS)) ?? [];
  }

  async writeCommands(outcomes: readonly CommandOutcome[]): Promise<void> {
    await this.#write(join(this.dir, COMMANDS), JSON.stringify(outcomes.slice(-MAX_COMMANDS)));
  }

  /** The A/B bootloader's state (BootStore): slots, a trial, the anti-rollback floor. */
  async readBootState(): Promise<BootState | undefined> {
    return this.#readJson<BootState>(BOOT_SLOTS);
  }

  async writeBootState(state: BootState): Promise<void> {
    await this.#write(join(this.dir, BOOT_SLOTS), JSON.stringify(state));
  }

  /** The fleet roots the cart trusts, by CA generation: public, so flash may hold them. */
  async readCaRoots(): Promise<CaRoot[] | undefined> {
    return this.#readJson<CaRoot[]>(CA_ROOTS);
  }

  async writeCaRoots(roots: readonly CaRoot[]): Promise<void> {
    await this.#write(join(this.dir, CA_ROOTS), JSON.stringify(roots));
  }

  /** Counts a boot and returns the new count. */
  async countBoot(): Promise<number> {
    let n = 0;
    try {
      n = Number((await readFile(join(this.dir, BOOTS), 'utf8')).trim()) || 0;
    } catch {
      // First boot.
    }
    await this.#write(join(this.dir, BOOTS), `${n + 1}\n`);
    return n + 1;
  }

  /** Appends a signed message to the store-and-forward queue. */
  async enqueue(entry: QueuedPayload): Promise<void> {
    await this.#write(this.#queuePath(entry.counter), entry.payload);
  }

  /** Removes a message once the broker acknowledged it. */
  async dequeue(counter: number): Promise<void> {
    await unlink(this.#queuePath(counter)).catch(() => undefined);
  }

  /** The queue in counter order, as a reboot finds it. */
  async readQueue(): Promise<QueuedPayload[]> {
    const names = (await readdir(join(this.dir, QUEUE))).filter((n) => n.endsWith('.msg')).sort();
    const out: QueuedPayload[] = [];
    for (const name of names) {
      const payload = await readFile(join(this.dir, QUEUE, name)).catch(() => undefined);
      if (payload)
        out.push({ counter: Number(name.slice(0, -4)), payload: new Uint8Array(payload) });
    }
    return out.sort((a, b) => a.counter - b.counter);
  }

  /** Resolves once no write is under way: a shut-down cart leaves nothing half-written behind. */
  async settled(): Promise<void> {
    while (this.#writes.size > 0) await Promise.allSettled([...this.#writes]);
  }

  #write(path: string, data: string | Uint8Array): Promise<void> {
    const write = atomicWrite(path, data, this.sync);
    this.#writes.add(write);
    void write.finally(() => this.#writes.delete(write)).catch(() => undefined);
    return write;
  }

  #queuePath(counter: number): string {
    // Zero-padded so a directory listing sorts in counter order.
    return join(this.dir, QUEUE, `${String(counter).padStart(16, '0')}.msg`);
  }

  async #readJson<T>(name: string): Promise<T | undefined> {
    try {
      return JSON.parse(await readFile(join(this.dir, name), 'utf8')) as T;
    } catch {
      return undefined;
    }
  }
}

export { atomicWrite };
export type { CommandOutcome };
