import type { SimClock, SimTimer } from '../clock/sim-clock.js';

/** The cart's timers: one name per flow that counts down (each flow arms only its own). */
export type CartTimer = 'health' | 'activity' | 'battery' | 'parked' | 'cliff' | 'catalog';

/** The cart's timers, one per purpose: arming one again replaces the pending one. */
export class NamedTimers<Name extends string> {
  #timers: Partial<Record<Name, SimTimer>> = {};

  constructor(private readonly clock: SimClock) {}

  after(name: Name, ms: number, fn: () => void): void {
    this.cancel(name);
    this.#timers[name] = this.clock.after(ms, fn);
  }

  every(name: Name, ms: number, fn: () => void): void {
    this.cancel(name);
    this.#timers[name] = this.clock.every(ms, fn);
  }

  cancel(name: Name): void {
    this.#timers[name]?.cancel();
    delete this.#timers[name];
  }

  cancelAll(): void {
    for (const timer of Object.values<SimTimer | undefined>(this.#timers)) timer?.cancel();
    this.#timers = {};
  }
}
