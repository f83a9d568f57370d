import { normal, type Random } from '../random.js';

/** Symbologies the 2D imager decodes, as the scan message names them. */
export type Symbology =
  'ean-13' | 'ean-8' | 'upc-a' | 'upc-e' | 'code-128' | 'gs1-databar' | 'qr' | 'data-matrix';

export type ReadResult =
  | { readonly ok: true; readonly readMs: number }
  | { readonly ok: false; readonly readMs: number; readonly reason: 'no-read' | 'jammed' };

/** The PRD: 95 % of reads succeed, in about 500 ms. */
export const FIRST_READ_SUCCESS = 0.95;
export const MEDIAN_READ_MS = 480;

/**
 * The 1D/2D imager. A read takes a log-normal time around half a second (most are quick, a few
 * wrinkled labels take a second or more) and succeeds 95 % of the time; the customer retries a
 * failed read. A jam (injected) fails every read until staff clears it.
 */
export class Scanner {
  #jammed = false;
  #reads = 0;
  #temperatureC = 24;

  constructor(
    private readonly random: Random,
    private readonly successRate = FIRST_READ_SUCCESS,
  ) {}

  get jammed(): boolean {
    return this.#jammed;
  }

  /** The laser/illumination warms with use and cools back to ambient. */
  get temperatureC(): number {
    return Math.round(this.#temperatureC * 10) / 10;
  }

  get reads(): number {
    return this.#reads;
  }

  jam(): void {
    this.#jammed = true;
  }

  clearJam(): void {
    this.#jammed = false;
  }

  /** Decides the outcome and duration of one trigger pull; the caller waits `readMs`. */
  read(): ReadResult {
    this.#reads++;
    this.#temperatureC = Math.min(45, this.#temperatureC + 0.05);
    const readMs = Math.round(
      Math.min(3000, Math.max(120, MEDIAN_READ_MS * Math.exp(0.35 * normal(this.random)))),
    );
    if (this.#jammed) return { ok: false, readMs, reason: 'jammed' };
    if (this.random() >= this.successRate) return { ok: false, readMs, reason: 'no-read' };
    return { ok: true, readMs };
  }

  /** Cooling between uses: called with the idle time since the last read. */
  cool(idleMs: number): void {
    const ambient = 24;
    this.#temperatureC = ambient + (this.#temperatureC - ambient) * Math.exp(-idleMs / 600_000);
  }
}
