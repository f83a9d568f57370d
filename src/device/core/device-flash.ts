import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { SealKey } from '../../contract/index.js';
import type { BootState, BootStore } from '../firmware/boot-slots.js';
import { CounterFile } from '../link/counter-file.js';
import { atomicWrite } from './atomic-write.js';
import type { CommandOutcome, CommandOutcomeStore } from './command-book.js';

/** A signed message waiting for a PUBACK: its counter and exactly the bytes that were signed. */
export interface QueuedPayload {
  readonly counter: number;
  readonly payload: Uint8Array;
}

/**
 * What a sensor or tool keeps across reboots: what the cloud set (the reading interval, the
 * binding) and its fuel gauge. Never anything personal: the tool's operator id is in RAM only.
 */
export interface DeviceSettings {
  readonly report_interval_s?: number;
  readonly shipment_id?: string;
  readonly job_site_id?: string;
  /** Coulomb count of a primary cell, mA·s used since it was fitted. */
  readonly battery_used_mas?: number;
}

const COMMANDS = 'commands.json';
const BOOT_SLOTS = 'boot-slots.json';
const BOOTS = 'boot-count';
const SEAL_KEY = 'seal-key.json';
const SETTINGS = 'settings.json';
const QUEUE = 'queue';
/** Executed command ids kept; commands expire within minutes, so a few hundred is plenty. */
const MAX_COMMANDS = 500;

/**
 * Makes the directory ready after a power cut: its queue exists and the temporary files of a cut
 * write are gone. Returns the message counter kept in it.
 */
export async function openFlashDir(dir: string): Promise<CounterFile> {
  await mkdir(join(dir, QUEUE), { recursive: true });
  for (const sub of ['', QUEUE]) {
    for (const name of await readdir(join(dir, sub))) {
      if (name.endsWith('.tmp')) await unlink(join(dir, sub, name)).catch(() => undefined);
    }
  }
  return CounterFile.open(dir);
}

/**
 * The flash of a battery device (cold-chain sensor, connected tool) as a directory: the message
 * counter, the command book, the A/B boot state, the seal key, its settings and the
 * store-and-forward queue, one file per message. Every write is atomic (temporary file, rename),
 * so a power cut leaves the old or the new version, never half of one. The cart's Flash holds the
 * same things plus its session and catalog.
 */
export class DeviceFlash implements CommandOutcomeStore {
  readonly #writes = new Set<Promise<unknown>>();

  protected constructor(
    readonly dir: string,
    readonly counter: CounterFile,
    private readonly sync: boolean,
  ) {}

  /** `sync: false` skips fsync (still atomic by rename): for simulations far faster than a disk. */
  static async open(dir: string, options: { sync?: boolean } = {}): Promise<DeviceFlash> {
    return new DeviceFlash(dir, await openFlashDir(dir), options.sync ?? true);
  }

  readCommands(): Promise<CommandOutcome[]> {
    return this.readJson<CommandOutcome[]>(COMMANDS).then((c) => c ?? []);
  }

  writeCommands(outcomes: readonly CommandOutcome[]): Promise<void> {
    return this.write(COMMANDS, JSON.stringify(outcomes.slice(-MAX_COMMANDS)));
  }

  /** The A/B bootloader's store (BootSlots): slots, a trial, the anti-rollback floor. */
  bootStore(): BootStore {
    return {
      read: () => this.readJson<BootState>(BOOT_SLOTS),
      write: (state) => this.write(BOOT_SLOTS, JSON.stringify(state)),
    };
  }

  /** Counts a boot and returns the new count. */
  async countBoot(): Promise<number> {
    const n = Number((await readFile(join(this.dir, BOOTS), 'utf8').catch(() => '0')).trim()) || 0;
    await this.write(BOOTS, `${n + 1}\n`);
    return n + 1;
  }

  /** The platform's public seal key: not a secret, so flash may hold it. */
  readSealKey(): Promise<SealKey | undefined> {
    return this.readJson<SealKey>(SEAL_KEY);
  }

  writeSealKey(key: SealKey): Promise<void> {
    return this.write(SEAL_KEY, JSON.stringify(key));
  }

  async readSettings(): Promise<DeviceSettings> {
    return (await this.readJson<DeviceSettings>(SETTINGS)) ?? {};
  }

  writeSettings(settings: DeviceSettings): Promise<void> {
    return this.write(SETTINGS, JSON.stringify(settings));
  }

  /** Appends a signed message to the store-and-forward queue. */
  async enqueue(entry: QueuedPayload): Promise<void> {
    await this.write(this.#queueName(entry.counter), entry.payload);
  }

  /** Removes a message once the broker acknowledged it. */
  async dequeue(counter: number): Promise<void> {
    await unlink(join(this.dir, this.#queueName(counter))).catch(() => undefined);
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
    return out;
  }

  /** Every file's bytes: for tests that look for what must never reach flash. */
  async dump(): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (const sub of ['', QUEUE]) {
      for (const entry of await readdir(join(this.dir, sub), { withFileTypes: true })) {
        if (entry.isFile()) parts.push(await readFile(join(this.dir, sub, entry.name)));
      }
    }
    return Buffer.concat(parts);
  }

  /** Resolves once no write is under way: a device switched off leaves nothing half-written. */
  async settled(): Promise<void> {
    while (this.#writes.size > 0) await Promise.allSettled([...this.#writes]);
  }

  #queueName(counter: number): string {
    // Zero-padded so a directory listing sorts in counter order.
    return join(QUEUE, `${String(counter).padStart(16, '0')}.msg`);
  }

  /** Writes `name` (relative to the directory) atomically; settled() waits for it. */
  protected write(name: string, data: string | Uint8Array): Promise<void> {
    const write = atomicWrite(join(this.dir, name), data, this.sync);
    this.#writes.add(write);
    void write.finally(() => this.#writes.delete(write)).catch(() => undefined);
    return write;
  }

  /** The JSON file `name`, or undefined when it is missing or unreadable. */
  protected async readJson<T>(name: string): Promise<T | undefined> {
    try {
      return JSON.parse(await readFile(join(this.dir, name), 'utf8')) as T;
    } catch {
      return undefined;
    }
  }
}
