// A size-limited filesystem mounted over a directory (tmpfs, as root), filled up to the last byte
// and given its space back: a full telemetry disk without filling the machine's own.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function run(command: string, args: readonly string[]): string | undefined {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) return result.error.message;
  return result.status === 0 ? undefined : (result.stderr || `exit ${result.status}`).trim();
}

/** Why a small filesystem cannot be mounted here, or undefined when it can (tried, then undone). */
export function smallFilesystemUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'mounting a size-limited filesystem needs Linux';
  if (process.getuid?.() !== 0) return 'mounting a size-limited filesystem needs root';
  const dir = mkdtempSync(join(tmpdir(), 'fault-mount-'));
  try {
    const failed = run('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]);
    if (failed) return `mount -t tmpfs failed: ${failed}`;
    run('umount', [dir]);
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export class SmallFilesystem {
  readonly #filler: string;
  #mounted = false;

  constructor(
    readonly dir: string,
    readonly sizeBytes: number,
  ) {
    this.#filler = join(dir, 'fault-filler');
  }

  mount(): void {
    mkdirSync(this.dir, { recursive: true });
    const failed = run('mount', ['-t', 'tmpfs', '-o', `size=${this.sizeBytes}`, 'tmpfs', this.dir]);
    if (failed) throw new Error(`mount -t tmpfs on ${this.dir}: ${failed}`);
    this.#mounted = true;
  }

  /** Writes a file until the filesystem refuses another byte; resolves with the bytes written. */
  async fill(): Promise<number> {
    const file = await open(this.#filler, 'a');
    let written = 0;
    try {
      for (let chunk = 1 << 20; chunk >= 1;) {
        try {
          const { bytesWritten } = await file.write(Buffer.alloc(chunk));
          written += bytesWritten;
          if (bytesWritten < chunk) chunk >>= 1;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
          chunk >>= 1;
        }
      }
    } finally {
      await file.close();
    }
    return written;
  }

  /** Gives the space back. */
  async free(): Promise<void> {
    await rm(this.#filler, { force: true });
  }

  unmount(): void {
    if (!this.#mounted) return;
    const failed = run('umount', [this.dir]) && run('umount', ['-l', this.dir]);
    if (failed) throw new Error(`umount ${this.dir}: ${failed}`);
    this.#mounted = false;
  }
}
