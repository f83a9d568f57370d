// One soak of bench:soak against one broker process: starts the load process (soak-load.ts),
// and at each of its 10-second windows samples the broker (platform-sample.ts) so the latency
// window and the memory sample share one clock. Prints a progress line per window.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { percentileMs, type LatencyHistogram } from './latency-histogram.js';
import { sampleProcess, type PlatformSample } from './platform-sample.js';

export interface SoakWindow {
  /** Seconds since the load started, at the window's end. */
  readonly t: number;
  readonly sentPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Sent and not yet acknowledged at the window's end. */
  readonly pending: number;
  /** The most a send started after its due moment (the load generator keeping up). */
  readonly maxLateMs: number;
  readonly loadCpuShare: number;
  /** Broker CPU over the window, in cores (platform with its edges). */
  readonly brokerCpuCores: number;
  /** Messages stored per second over the window (platform only). */
  readonly storedPerSecond?: number;
  readonly sample: PlatformSample;
  readonly histogram: LatencyHistogram;
}

export interface SoakResult {
  readonly connections: number;
  readonly connectSeconds: number;
  readonly rate: number;
  readonly windows: SoakWindow[];
  readonly sent: number;
  readonly acked: number;
  readonly unacknowledged: number;
  /** Due while its connection was down. */
  readonly unsendable: number;
  /** Held connections the broker closed during the soak. */
  readonly dropped: number;
  /** The dropped ones by the type of the last message sent on them (and whether it was acknowledged). */
  readonly droppedAfter: Record<string, number>;
  /** Dropped connections that connected again (a second after the drop). */
  readonly reconnected: number;
  readonly loadCpuSeconds: number;
  readonly wallSeconds: number;
}

export interface SoakTarget {
  readonly name: string;
  readonly pid: number;
  readonly host: string;
  readonly port: number;
  /** The broker's /metrics text, when it has one. */
  readonly metrics?: () => Promise<string>;
}

export interface SoakLoad {
  readonly devicesFile: string;
  readonly connections: number;
  readonly carts: number;
  readonly seconds: number;
  readonly windowSeconds: number;
}

export async function runSoak(
  target: SoakTarget,
  load: SoakLoad,
  step: (text: string) => void,
): Promise<SoakResult> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      new URL('./soak-load.ts', import.meta.url).pathname,
      JSON.stringify({ ...load, host: target.host, port: target.port, concurrency: 200 }),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  const windows: SoakWindow[] = [];
  let connected = { connections: 0, seconds: 0, failed: 0, errors: {} as Record<string, number> };
  let rate = 0;
  let done: Record<string, unknown> | undefined;
  let previous: { t: number; cpu: number; stored: number } | undefined;
  const sample = async () =>
    sampleProcess(target.pid, target.metrics ? await target.metrics() : undefined);

  for await (const line of createInterface({ input: child.stdout })) {
    const event = JSON.parse(line) as Record<string, unknown>;
    if (event['event'] === 'connected') {
      connected = event as typeof connected;
      step(
        `${target.name}: ${connected.connections} connections in ${connected.seconds.toFixed(1)} s` +
          (Object.keys(connected.errors).length > 0
            ? ` (attempts that failed and were retried: ${JSON.stringify(connected.errors)})`
            : '') +
          (connected.failed ? `; ${connected.failed} never connected` : ''),
      );
    } else if (event['event'] === 'load-started') {
      rate = event['rate'] as number;
      const s = await sample();
      previous = { t: 0, cpu: s.cpuSeconds, stored: s.metrics?.stored ?? 0 };
    } else if (event['event'] === 'window') {
      const s = await sample();
      const t = event['t'] as number;
      const span = t - (previous?.t ?? 0);
      const histogram = event['histogram'] as LatencyHistogram;
      const window: SoakWindow = {
        t,
        sentPerSecond: (event['sent'] as number) / span,
        p50Ms: percentileMs(histogram, 50),
        p99Ms: percentileMs(histogram, 99),
        maxMs: percentileMs(histogram, 100),
        pending: event['pending'] as number,
        maxLateMs: event['max_late_ms'] as number,
        loadCpuShare: (event['load_cpu_s'] as number) / span,
        brokerCpuCores: (s.cpuSeconds - (previous?.cpu ?? s.cpuSeconds)) / span,
        ...(s.metrics
          ? { storedPerSecond: (s.metrics.stored - (previous?.stored ?? 0)) / span }
          : {}),
        sample: s,
        histogram,
      };
      previous = { t, cpu: s.cpuSeconds, stored: s.metrics?.stored ?? 0 };
      windows.push(window);
      const m = s.metrics;
      step(
        `${target.name} ${(t / 60).toFixed(1)} min: ${window.sentPerSecond.toFixed(0)}/s sent` +
          (window.storedPerSecond === undefined
            ? ''
            : `, ${window.storedPerSecond.toFixed(0)}/s stored`) +
          `, PUBACK p50 ${window.p50Ms.toFixed(1)} p99 ${window.p99Ms.toFixed(1)} ms` +
          `, RSS ${s.rssMb.toFixed(0)} MB` +
          (m
            ? `, heap ${m.heapUsedMb.toFixed(0)} MB, loop lag p99 ${m.eventLoopLagP99Ms.toFixed(1)} ms`
            : '') +
          `, ${s.fds} fds, CPU ${(window.brokerCpuCores * 100).toFixed(0)} %` +
          ((event['dropped'] as number) > 0
            ? `, ${event['dropped'] as number} connections dropped so far`
            : ''),
      );
    } else if (event['event'] === 'done') {
      done = event;
    }
  }
  if ((await exited) !== 0 || !done) throw new Error(`${target.name}: the load process failed`);
  return {
    connections: connected.connections,
    connectSeconds: connected.seconds,
    rate,
    windows,
    sent: done['sent'] as number,
    acked: done['acked'] as number,
    unacknowledged: done['unacknowledged'] as number,
    unsendable: done['unsendable'] as number,
    dropped: done['dropped'] as number,
    droppedAfter: done['dropped_after'] as Record<string, number>,
    reconnected: done['reconnected'] as number,
    loadCpuSeconds: done['load_cpu_s'] as number,
    wallSeconds: done['wall_s'] as number,
  };
}
