import type { Clock } from './key-provider.js';

/**
 * Unwrapped key material held in memory for a bounded time and number of entries. It holds copies
 * and hands out copies, so an entry can be zeroed when it leaves without breaking a caller that
 * still holds the key it was given (what the caller does with its copy is its business).
 */
export class PlaintextCache {
  private readonly entries = new Map<string, { material: Buffer; storedAt: number }>();

  constructor(
    private readonly now: Clock,
    readonly ttlMs: number,
    readonly maxEntries: number,
  ) {}

  get(key: string): Buffer | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const age = this.now().getTime() - entry.storedAt;
    // A clock that went backwards must not stretch the lifetime either.
    if (age < 0 || age >= this.ttlMs) {
      this.delete(key);
      return undefined;
    }
    return Buffer.from(entry.material);
  }

  set(key: string, material: Buffer): void {
    if (this.ttlMs <= 0 || this.maxEntries <= 0) return;
    this.delete(key);
    this.entries.set(key, { material: Buffer.from(material), storedAt: this.now().getTime() });
    // Oldest first: Map keeps insertion order.
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.delete(oldest);
    }
  }

  delete(key: string): void {
    this.entries.get(key)?.material.fill(0);
    this.entries.delete(key);
  }

  clear(): void {
    for (const key of [...this.entries.keys()]) this.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
