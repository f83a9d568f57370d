import { sampleBetween, snapshot, zeroSnapshot, type MetricSnapshot } from './metric-sample.js';
import type { MetricSample } from './metric-history.js';
import type { PlatformMetrics } from './metrics.js';

export const DEFAULT_SAMPLE_MS = 60_000;

/**
 * Reads the platform's metrics and stores what happened since the last reading. The first
 * interval counts from zero: the metrics are this process's, created when it started.
 */
export class MetricSampler {
  #last: MetricSnapshot = zeroSnapshot();
  #lastAt: number;

  constructor(
    private readonly options: {
      readonly metrics: PlatformMetrics;
      readonly store: { append(sample: MetricSample): void };
      readonly now: () => number;
    },
  ) {
    this.#lastAt = options.now();
  }

  /** Takes one sample now: the platform calls this on a timer (DEFAULT_SAMPLE_MS). */
  async sample(): Promise<MetricSample> {
    const next = await snapshot(this.options.metrics);
    const at = this.options.now();
    const sample = sampleBetween(this.#last, next, at, Math.max(1, at - this.#lastAt));
    this.options.store.append(sample);
    this.#last = next;
    this.#lastAt = at;
    return sample;
  }
}
