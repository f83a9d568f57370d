import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The message counter must never repeat, even across reboots. Flash wears, so firmware does not
 * write it on every message: it reserves a block (writes "next free = start + size") before
 * using any counter in it. A reboot wastes the rest of a block and never reuses one.
 */
export class CounterFile {
  #next = 0;
  #limit = 0;

  private constructor(
    private readonly path: string,
    private readonly blockSize: number,
  ) {}

  static async open(dir: string, blockSize = 1000): Promise<CounterFile> {
    const counter = new CounterFile(join(dir, 'counter'), blockSize);
    counter.#next = counter.#limit = await readNext(counter.path);
    return counter;
  }

  /** The next counter; reserves a new block on flash when the current one is used up. */
  async next(): Promise<number> {
    if (this.#next >= this.#limit) {
      const limit = this.#next + this.blockSize;
      const temp = `${this.path}.tmp`;
      await writeFile(temp, `${limit}\n`);
      await rename(temp, this.path);
      this.#limit = limit;
    }
    return this.#next++;
  }
}

async function readNext(path: string): Promise<number> {
  try {
    const n = Number((await readFile(path, 'utf8')).trim());
    return Number.isSafeInteger(n) && n >= 0 ? n : 0;
  } catch {
    return 0;
  }
}
