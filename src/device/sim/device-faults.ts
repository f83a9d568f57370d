import type { SimClock, SimTimer } from '../clock/sim-clock.js';
import type { Random } from '../random.js';
import { choose } from './faults.js';

interface Timed {
  /** Simulated ms after the run starts. */
  readonly atMs: number;
  /** Share of the class's devices it hits, 0 to 1 (at least one when above 0). */
  readonly fraction: number;
}

/** Faults for cold-chain sensors and tools, the cases the cart simulator has no hooks for. */
export type DeviceFaultSpec =
  /** Excursion: the reefer door stands open, cargo air heads for the outside air. */
  | (Timed & { readonly kind: 'door-open'; readonly forMs: number })
  /** Excursion: the refrigeration unit stops; the box warms slowly until it is repaired. */
  | (Timed & { readonly kind: 'reefer-failure'; readonly forMs: number })
  /** The cell (sensor) or pack (tool) is down to its last 10 %. */
  | (Timed & { readonly kind: 'low-battery' })
  /** A knock of `g` (a drop at loading); the next reading carries it. */
  | (Timed & { readonly kind: 'shock'; readonly g: number })
  /** The sensor stops without a word, for the rest of the run. */
  | (Timed & { readonly kind: 'silence' })
  | (Timed & { readonly kind: 'device-clock-skew'; readonly skewMs: number })
  /** The gateway or cell is gone: readings queue in flash, then replay. */
  | (Timed & { readonly kind: 'gateway-down'; readonly forMs: number })
  /** A tool's motor overheats (a stalled bit): OVER_TEMP until it cools. */
  | (Timed & { readonly kind: 'overheat' });

export type DeviceFaultKind = DeviceFaultSpec['kind'];

/** Which classes a fault applies to. */
export const FAULT_CLASSES: Record<DeviceFaultKind, readonly ('coldchain' | 'tool')[]> = {
  'door-open': ['coldchain'],
  'reefer-failure': ['coldchain'],
  'low-battery': ['coldchain', 'tool'],
  shock: ['coldchain'],
  silence: ['coldchain'],
  'device-clock-skew': ['coldchain', 'tool'],
  'gateway-down': ['coldchain', 'tool'],
  overheat: ['tool'],
};

/** What a fault does to one device; the simulator implements it per class. */
export interface FaultTarget {
  readonly deviceId: string;
  readonly deviceClass: 'coldchain' | 'tool';
  setDoor?(open: boolean): void;
  setReeferFailed?(failed: boolean): void;
  shock?(g: number): void;
  silence?(): Promise<void>;
  overheat?(): void;
  lowBattery(): void;
  setClockSkew(ms: number): void;
  setReachable(reachable: boolean): Promise<void>;
}

/** Arms each fault on its share of the devices it applies to; returns the timers. */
export function scheduleDeviceFaults(
  specs: readonly DeviceFaultSpec[],
  targets: readonly FaultTarget[],
  clock: SimClock,
  random: Random,
  applied: (kind: DeviceFaultKind, target: FaultTarget) => void,
): SimTimer[] {
  const timers: SimTimer[] = [];
  for (const spec of specs) {
    const eligible = targets.filter((t) => FAULT_CLASSES[spec.kind].includes(t.deviceClass));
    const hit = choose(eligible, spec.fraction, random);
    timers.push(
      clock.after(spec.atMs, () => {
        for (const target of hit) {
          applied(spec.kind, target);
          apply(spec, target, (ms, fn) => timers.push(clock.after(ms, fn)));
        }
      }),
    );
  }
  return timers;
}

function apply(
  spec: DeviceFaultSpec,
  target: FaultTarget,
  later: (ms: number, fn: () => void) => void,
): void {
  switch (spec.kind) {
    case 'door-open':
      target.setDoor?.(true);
      later(spec.forMs, () => target.setDoor?.(false));
      break;
    case 'reefer-failure':
      target.setReeferFailed?.(true);
      later(spec.forMs, () => target.setReeferFailed?.(false));
      break;
    case 'low-battery':
      target.lowBattery();
      break;
    case 'shock':
      target.shock?.(spec.g);
      break;
    case 'silence':
      void target.silence?.();
      break;
    case 'device-clock-skew':
      target.setClockSkew(spec.skewMs);
      break;
    case 'gateway-down':
      void target.setReachable(false);
      later(spec.forMs, () => void target.setReachable(true));
      break;
    case 'overheat':
      target.overheat?.();
      break;
  }
}
