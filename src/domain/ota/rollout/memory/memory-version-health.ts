import type { HealthQuery, OtaTarget, VersionHealth, VersionHealthSample } from '../ports.js';
import { matchesTargets } from './memory-fleet-targets.js';

/**
 * What the simulator tells the health port: a device started running a version (a boot, or its
 * first report), or had an error (a fault, or a failed boot counted against the version that
 * failed: the attempted one for a rollback, the running one for a watchdog/panic/brownout reset),
 * or went offline (no exposure until it runs a version again).
 */
export interface HealthObservation {
  readonly kind: 'running' | 'offline' | 'fault' | 'failed-boot';
  readonly deviceId: string;
  readonly version: string;
  readonly at: number;
}

const HOUR_MS = 3_600_000;
/** A timeline segment with no version: the device was offline. */
const OFFLINE = '\u0000offline';

/**
 * Exact device-hours from each device's version timeline: a device runs the version of its last
 * 'running' observation until the next one, or until an 'offline' one. Errors are kept sorted by
 * time, so a window is found by binary search. Which devices are targets is asked of `describe`
 * (the simulator's fleet) at measuring time.
 */
export class MemoryVersionHealth implements VersionHealth {
  readonly #errors: { deviceId: string; version: string; at: number }[] = [];
  readonly #timelines = new Map<string, { version: string; since: number }[]>();
  /**
   * Whether a device is one of a filter's targets, remembered per filter: what decides it (class,
   * store, hardware revision) does not change under the simulator, and asking every tick was a
   * third of its time at 10,000 carts.
   */
  readonly #membership = new Map<string, Map<string, boolean>>();

  constructor(private readonly describe: (deviceId: string) => OtaTarget | undefined) {}

  record(observation: HealthObservation): void {
    const { deviceId, version, at } = observation;
    if (observation.kind === 'running' || observation.kind === 'offline') {
      const running = observation.kind === 'offline' ? OFFLINE : observation.version;
      const line = this.#timelines.get(deviceId) ?? [];
      const last = line[line.length - 1];
      if (last && last.since > at) {
        line.push({ version: running, since: at });
        line.sort((a, b) => a.since - b.since);
      } else if (!last || last.version !== running) line.push({ version: running, since: at });
      this.#timelines.set(deviceId, line);
      return;
    }
    const entry = { deviceId, version, at };
    const errors = this.#errors;
    if (errors.length === 0 || errors[errors.length - 1]!.at <= at) errors.push(entry);
    else errors.splice(firstAtOrAfter(errors, at), 0, entry);
  }

  async measure(query: HealthQuery): Promise<VersionHealthSample> {
    const target = { events: 0, deviceHours: 0 };
    const others = { events: 0, deviceHours: 0 };
    const side = (version: string) => (version === query.version ? target : others);
    const key = JSON.stringify(query.targets);
    let inTargets = this.#membership.get(key);
    if (!inTargets) this.#membership.set(key, (inTargets = new Map()));
    const known = inTargets;
    const isTarget = (id: string) => {
      let yes = known.get(id);
      if (yes === undefined) {
        const t = this.describe(id);
        yes = t !== undefined && matchesTargets(t, query.targets);
        known.set(id, yes);
      }
      return yes;
    };
    for (let i = firstAtOrAfter(this.#errors, query.from); i < this.#errors.length; i++) {
      const e = this.#errors[i]!;
      if (e.at >= query.to) break;
      if (isTarget(e.deviceId)) side(e.version).events++;
    }
    for (const [deviceId, line] of this.#timelines) {
      if (!isTarget(deviceId)) continue;
      for (let k = line.length - 1; k >= 0; k--) {
        const segment = line[k]!;
        const end = Math.min(line[k + 1]?.since ?? Infinity, query.to);
        if (end <= query.from) break;
        const start = Math.max(segment.since, query.from);
        if (segment.version !== OFFLINE && end > start) {
          side(segment.version).deviceHours += (end - start) / HOUR_MS;
        }
      }
    }
    return { target, others };
  }
}

function firstAtOrAfter(list: readonly { at: number }[], at: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.at < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
