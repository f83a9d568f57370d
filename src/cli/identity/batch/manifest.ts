import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ProvisionResult } from '../../../edge/identity/index.js';

export const MANIFEST_FILE = 'manifest.csv';
export const MANIFEST_HEADER = 'serial,class,store,fingerprint_sha256,not_after,cert_serial';

export interface ManifestEntry {
  readonly serial: string;
  readonly deviceClass: string;
  readonly store: string;
  readonly fingerprint256: string;
  readonly notAfter: string;
  readonly certSerialHex: string;
}

export function manifestEntry(result: ProvisionResult): ManifestEntry {
  const { info } = result;
  return {
    serial: info.deviceId,
    deviceClass: info.deviceClass,
    store: info.storeId,
    fingerprint256: info.fingerprint256,
    notAfter: info.notAfter.toISOString(),
    certSerialHex: info.certSerialHex,
  };
}

// Serials, store ids and fingerprints never hold a comma or a quote, so no field needs quoting.
function line(e: ManifestEntry): string {
  return [e.serial, e.deviceClass, e.store, e.fingerprint256, e.notAfter, e.certSerialHex].join(
    ',',
  );
}

/**
 * The batch's manifest, appended to as devices are issued. A line is on disk (fsync) before its
 * device is registered; appends that arrive while a sync is running share the next one, so a
 * batch pays one sync per group, not per device, and one of the output directory with it. A re-run into the same directory appends, and
 * skips a line the manifest already holds (a device whose registration a crash cut off).
 */
export class ManifestWriter {
  private pending: { text: string; done: () => void; fail: (e: unknown) => void }[] = [];
  private flushing: Promise<void> | undefined;

  private constructor(
    private readonly handle: FileHandle,
    private readonly known: Set<string>,
    private readonly dir: string,
  ) {}

  static async open(path: string): Promise<ManifestWriter> {
    const before = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    await mkdir(dirname(path), { recursive: true });
    const handle = await open(path, 'a');
    const known = new Set((before ?? '').split('\n').filter((l) => l !== ''));
    // A crash can cut the last line short: start the next one on a line of its own.
    if (before !== undefined && before !== '' && !before.endsWith('\n')) {
      await handle.write('\n');
    }
    const writer = new ManifestWriter(handle, known, dirname(path));
    if (!known.has(MANIFEST_HEADER)) await writer.append(MANIFEST_HEADER);
    return writer;
  }

  /** Resolves once the entry is durable. */
  add(entry: ManifestEntry): Promise<void> {
    return this.append(line(entry));
  }

  private append(text: string): Promise<void> {
    if (this.known.has(text)) return Promise.resolve();
    this.known.add(text);
    const done = new Promise<void>((resolve, reject) => {
      this.pending.push({ text, done: resolve, fail: reject });
    });
    if (!this.flushing) this.flushing = this.flush();
    return done;
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const group = this.pending;
      this.pending = [];
      try {
        // The output directory's entries for the group's new device directories are made
        // durable with the lines that list them (each device directory syncs its own files).
        await syncDirectory(this.dir);
        await this.handle.write(group.map((p) => p.text + '\n').join(''));
        await this.handle.datasync();
        for (const p of group) p.done();
      } catch (error) {
        for (const p of group) p.fail(error);
      }
    }
    this.flushing = undefined;
  }

  async close(): Promise<void> {
    await this.flushing;
    await this.handle.close();
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
