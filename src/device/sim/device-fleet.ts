import { ScaledClock, type SimClock, type SimTimer } from '../clock/sim-clock.js';
import type { ColdchainSensor } from '../coldchain/coldchain-sensor.js';
import { Reefer } from '../coldchain/reefer.js';
import type { DeviceObserver } from '../core/device-runtime.js';
import { exponential, substream, type Random } from '../random.js';
import type { ConnectedTool } from '../tool/connected-tool.js';
import {
  scheduleDeviceFaults,
  type DeviceFaultKind,
  type DeviceFaultSpec,
  type FaultTarget,
} from './device-faults.js';
import {
  checkDeviceInvariants,
  type DeviceInvariantReport,
  type DeviceLedger,
  type TelemetryView,
} from './device-invariants.js';
import type { CartIdentity } from './fleet-types.js';

export interface SimDeviceParts {
  readonly identity: CartIdentity;
  readonly clock: SimClock;
  readonly observer: DeviceObserver;
  readonly random: Random;
}

/** Sends a command through the platform (the ops API); answers its command id. */
export type SendCommand = (
  deviceId: string,
  name: 'set-interval' | 'ping',
  args: Record<string, unknown>,
) => Promise<string>;

export interface DeviceFleetOptions {
  readonly sensors: readonly CartIdentity[];
  readonly tools: readonly CartIdentity[];
  readonly createSensor: (parts: SimDeviceParts & { reefer: Reefer }) => Promise<ColdchainSensor>;
  readonly createTool: (parts: SimDeviceParts) => Promise<ConnectedTool>;
  readonly durationMs: number;
  readonly speed: number;
  readonly seed: number;
  readonly faults?: readonly DeviceFaultSpec[];
  /** A third into the run: set-interval to every sensor, ping to every tool. */
  readonly sendCommand?: SendCommand;
  readonly verify?: {
    readonly view: TelemetryView;
    readonly settleMs?: number;
    /** Real ms to keep asking while the platform's pipeline catches up (default 20 s). */
    readonly patienceMs?: number;
  };
  readonly signal?: AbortSignal;
  /** Real ms to wait for the queues to drain at the end (default 30 s). */
  readonly flushTimeoutMs?: number;
}

export interface ClassSummary {
  readonly devices: number;
  readonly readings: number;
  readonly delivered: number;
  readonly replayed: number;
  readonly dropped: number;
  readonly rejects: number;
  readonly commandsSent: number;
  readonly leftInQueues: number;
}

export interface DeviceFleetResult {
  readonly seed: number;
  readonly simulatedMs: number;
  readonly realMs: number;
  readonly coldchain: ClassSummary;
  readonly tool: ClassSummary;
  readonly faultsApplied: Partial<Record<DeviceFaultKind, number>>;
  readonly errors: string[];
  readonly invariants?: DeviceInvariantReport & { readonly failed?: string };
}

interface Member {
  readonly ledger: DeviceLedger;
  readonly stats: { delivered: number; replayed: number; rejects: number };
  readonly pending: () => number;
  readonly flush: (ms: number) => Promise<boolean>;
  /** Counters still in the flash queue (a silenced sensor's, or what did not drain in time). */
  readonly held: () => Promise<number[]>;
  readonly powerOff: () => Promise<void>;
  /** The reading timers stop; the link stays up. */
  readonly stop: () => void;
  /** Resolves once what the device was signing is queued. */
  readonly settled: () => Promise<void>;
}

/**
 * Runs cold-chain sensors on their reefers and tools with their crews over simulated time, with
 * the faults asked for, then checks per device what the platform stored (device-invariants.ts).
 * A tool's crew works in bursts and badges a new operator in at each; a sensor's reefer runs
 * a chilled (4 °C) or frozen (−18 °C) load.
 */
export async function runDeviceFleet(options: DeviceFleetOptions): Promise<DeviceFleetResult> {
  const realStart = performance.now();
  const clock = new ScaledClock({ speed: options.speed });
  let start = clock.now();
  const members: Member[] = [];
  const targets: FaultTarget[] = [];
  const timers: SimTimer[] = [];
  const errors: string[] = [];
  const faultsApplied: Partial<Record<DeviceFaultKind, number>> = {};

  const observe = (ledger: DeviceLedger, stats: Member['stats']): DeviceObserver => ({
    created: (m) => ledger.created.push(m),
    delivered: (_m, replayed) => {
      stats.delivered++;
      if (replayed) stats.replayed++;
    },
    dropped: (m) => ledger.dropped.add(m.counter),
    rejected: () => void stats.rejects++,
  });
  const ledgerFor = (identity: CartIdentity, deviceClass: DeviceLedger['deviceClass']) => ({
    deviceId: identity.serial,
    deviceClass,
    created: [],
    dropped: new Set<number>(),
    held: new Set<number>(),
    commands: [],
    operators: new Set<string>(),
  });

  for (const [i, identity] of options.sensors.entries()) {
    const ledger: DeviceLedger = ledgerFor(identity, 'coldchain');
    const stats = { delivered: 0, replayed: 0, rejects: 0 };
    const frozen = i % 3 === 2;
    const reefer = new Reefer({ start, setPointC: frozen ? -18 : 4, ambientMeanC: 22 });
    const sensor = await options.createSensor({
      identity,
      clock,
      observer: observe(ledger, stats),
      random: substream(options.seed, `coldchain:${identity.serial}`),
      reefer,
    });
    members.push(member(ledger, stats, sensor));
    targets.push({
      deviceId: identity.serial,
      deviceClass: 'coldchain',
      setDoor: (open) => reefer.setDoor(open, clock.now()),
      setReeferFailed: (failed) => reefer.setFailed(failed, clock.now()),
      shock: (g) => reefer.shock(g),
      silence: () => sensor.silence(),
      lowBattery: () => sensor.drainTo(0.9),
      setClockSkew: (ms) => sensor.runtime.setClockSkew(ms),
      setReachable: (r) => sensor.runtime.setReachable(r),
    });
    await sensor.powerOn();
  }
  for (const identity of options.tools) {
    const ledger: DeviceLedger = ledgerFor(identity, 'tool');
    const stats = { delivered: 0, replayed: 0, rejects: 0 };
    const random = substream(options.seed, `tool:${identity.serial}`);
    const tool = await options.createTool({
      identity,
      clock,
      observer: observe(ledger, stats),
      random,
    });
    members.push(member(ledger, stats, tool));
    targets.push({
      deviceId: identity.serial,
      deviceClass: 'tool',
      overheat: () => tool.usage.overheat(),
      lowBattery: () => tool.usage.drainTo(10),
      setClockSkew: (ms) => tool.runtime.setClockSkew(ms),
      setReachable: (r) => tool.runtime.setReachable(r),
    });
    await tool.powerOn();
    timers.push(crew(tool, ledger, clock, random));
  }

  // The run's time starts once every device is up: setting up takes real seconds on a busy host.
  start = clock.now();
  const faultRandom = substream(options.seed, 'device-faults');
  timers.push(
    ...scheduleDeviceFaults(options.faults ?? [], targets, clock, faultRandom, (kind) => {
      faultsApplied[kind] = (faultsApplied[kind] ?? 0) + 1;
    }),
  );
  const send = options.sendCommand;
  if (send) {
    timers.push(
      clock.after(options.durationMs / 3, () => {
        for (const m of members) {
          const sensor = m.ledger.deviceClass === 'coldchain';
          void send(
            m.ledger.deviceId,
            sensor ? 'set-interval' : 'ping',
            sensor ? { interval_s: 120 } : {},
          )
            .then((id) => void m.ledger.commands.push(id))
            .catch((error: unknown) => errors.push(`${m.ledger.deviceId}: ${String(error)}`));
        }
      }),
    );
  }

  await clock.sleep(options.durationMs, options.signal).catch(() => undefined);
  const simulatedMs = clock.now() - start;
  for (const t of timers) t.cancel();
  // No reading after the end; outages end with the run: what is queued goes out before the check.
  for (const m of members) m.stop();
  await Promise.all(members.map((m) => m.settled()));
  await Promise.all(targets.map((t) => t.setReachable(true)));
  const flushMs = options.flushTimeoutMs ?? 30_000;
  await Promise.all(members.map((m) => m.flush(flushMs)));
  const leftOver = members.map((m) => m.pending());
  await Promise.all(members.map((m) => m.powerOff()));
  for (const m of members) for (const c of await m.held()) m.ledger.held.add(c);

  let invariants: DeviceFleetResult['invariants'];
  if (options.verify) {
    await new Promise((r) => setTimeout(r, options.verify!.settleMs ?? 2000));
    try {
      invariants = await checkDeviceInvariants(
        members.map((m) => m.ledger),
        options.verify.view,
        { patienceMs: options.verify.patienceMs ?? 20_000 },
      );
    } catch (error) {
      invariants = { violations: [], checkedReadings: 0, notChecked: [], failed: String(error) };
    }
  }
  const summary = (deviceClass: DeviceLedger['deviceClass']): ClassSummary => {
    const of = members.map((m, i) => ({ m, left: leftOver[i]! }));
    const mine = of.filter(({ m }) => m.ledger.deviceClass === deviceClass);
    const type = deviceClass === 'coldchain' ? 'coldchain-telemetry' : 'tool-telemetry';
    return {
      devices: mine.length,
      readings: sum(mine.map(({ m }) => m.ledger.created.filter((c) => c.type === type).length)),
      delivered: sum(mine.map(({ m }) => m.stats.delivered)),
      replayed: sum(mine.map(({ m }) => m.stats.replayed)),
      dropped: sum(mine.map(({ m }) => m.ledger.dropped.size)),
      rejects: sum(mine.map(({ m }) => m.stats.rejects)),
      commandsSent: sum(mine.map(({ m }) => m.ledger.commands.length)),
      leftInQueues: sum(mine.map(({ left }) => left)),
    };
  };
  return {
    seed: options.seed,
    simulatedMs,
    realMs: Math.round(performance.now() - realStart),
    coldchain: summary('coldchain'),
    tool: summary('tool'),
    faultsApplied,
    errors,
    ...(invariants ? { invariants } : {}),
  };
}

function member(
  ledger: DeviceLedger,
  stats: Member['stats'],
  device: ColdchainSensor | ConnectedTool,
): Member {
  return {
    ledger,
    stats,
    pending: () => device.runtime.uplink.pending,
    // A silenced sensor is off: what its flash holds stays there.
    flush: (ms) => (device.runtime.on ? device.runtime.uplink.flush(ms) : Promise.resolve(false)),
    held: async () => (await device.runtime.flash.readQueue()).map((q) => q.counter),
    powerOff: () => device.powerOff(),
    stop: () => device.stop(),
    settled: () => device.runtime.settled(),
  };
}

/**
 * A crew with the tool: bursts of work (mean 40 minutes) and breaks (mean 15), a new operator
 * badging in at the start of each burst.
 */
function crew(
  tool: ConnectedTool,
  ledger: DeviceLedger,
  clock: SimClock,
  random: Random,
): SimTimer {
  let timer: SimTimer | undefined;
  let shift = 0;
  const next = (working: boolean) => {
    tool.usage.working = working;
    if (working) {
      const operator = `OP-${ledger.deviceId}-${++shift}`;
      ledger.operators.add(operator);
      void tool.tapBadge(operator);
    }
    const mean = working ? 40 * 60_000 : 15 * 60_000;
    timer = clock.after(exponential(random, mean), () => next(!working));
  };
  next(true);
  return { cancel: () => timer?.cancel() };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
