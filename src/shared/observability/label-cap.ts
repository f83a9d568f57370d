/** The label value that stands for every value past a cap. */
export const OTHER = 'other';

/**
 * Bounds the distinct values one label may take: the first `max` values seen keep their own name
 * for the life of the process, every later one becomes `other`. A value once given never changes,
 * so a gauge stepped up under a label is stepped down under the same one. Stores and firmware
 * versions are open-ended sets; Prometheus keeps one series per value, so an unbounded label is a
 * memory leak in every scraper.
 */
export class LabelCap {
  readonly #seen = new Set<string>();

  constructor(readonly max: number) {}

  value(raw: string): string {
    if (this.#seen.has(raw)) return raw;
    if (this.#seen.size >= this.max || raw === OTHER) return OTHER;
    this.#seen.add(raw);
    return raw;
  }
}
