// One 10-second sample of the platform under soak: what the kernel says (/proc: resident memory,
// open descriptors, CPU, of the platform and its edge processes) and what the platform says on
// /metrics (prom-client's default process metrics under the fleetplane_ prefix: V8 heap, and the
// event-loop delay percentiles, which prom-client resets at every scrape, so each sample's lag
// figures cover the 10 s since the last; and the ingest counters).
import { readdirSync } from 'node:fs';
import { processTree, treeCpuSeconds, treeResidentMb } from '../fleet/process-stats.js';

export interface PlatformSample {
  readonly rssMb: number;
  readonly fds: number;
  readonly cpuSeconds: number;
  /** From /metrics; undefined for a process without it (Mosquitto). */
  readonly metrics?: {
    readonly heapUsedMb: number;
    readonly eventLoopLagP50Ms: number;
    readonly eventLoopLagP99Ms: number;
    readonly eventLoopLagMaxMs: number;
    readonly stored: number;
    readonly rejected: number;
    readonly deadLettered: number;
    /** Telemetry batches the store could not take: their messages were never acknowledged. */
    readonly storeFailures: number;
    readonly connectedDevices: number;
  };
}

/** Open file descriptors of the process and its descendants, counted in /proc/PID/fd. */
export function treeDescriptors(pid: number): number {
  return processTree(pid).reduce((sum, p) => {
    try {
      return sum + readdirSync(`/proc/${p}/fd`).length;
    } catch {
      return sum;
    }
  }, 0);
}

/**
 * The sum of a metric's samples in Prometheus text whose labels hold every `match` (a label
 * pair as it is written, `outcome="stored"`). A metric the text lacks is an error: a renamed
 * metric must not read as zero.
 */
export function metricSum(text: string, name: string, ...match: string[]): number {
  let found = false;
  let sum = 0;
  for (const line of text.split('\n')) {
    // A labelled counter nothing has counted yet has its TYPE line and no sample: zero.
    if (line.startsWith(`# TYPE ${name} `)) found = true;
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    found = true;
    const labels = rest[0] === '{' ? rest.slice(1, rest.indexOf('}')) : '';
    if (!match.every((m) => labels.includes(m))) continue;
    sum += Number(rest.slice(rest.lastIndexOf(' ') + 1));
  }
  if (!found) throw new Error(`/metrics has no ${name}`);
  return sum;
}

export function parsePlatformMetrics(text: string): NonNullable<PlatformSample['metrics']> {
  const mb = (name: string) => metricSum(text, name) / 2 ** 20;
  const ms = (name: string) => metricSum(text, name) * 1000;
  return {
    heapUsedMb: mb('fleetplane_nodejs_heap_size_used_bytes'),
    eventLoopLagP50Ms: ms('fleetplane_nodejs_eventloop_lag_p50_seconds'),
    eventLoopLagP99Ms: ms('fleetplane_nodejs_eventloop_lag_p99_seconds'),
    eventLoopLagMaxMs: ms('fleetplane_nodejs_eventloop_lag_max_seconds'),
    stored: metricSum(text, 'fleetplane_ingest_messages_total', 'outcome="stored"'),
    rejected: metricSum(text, 'fleetplane_ingest_rejects_total'),
    deadLettered: metricSum(text, 'fleetplane_dead_lettered_total'),
    storeFailures: metricSum(text, 'fleetplane_ingest_store_failures_total'),
    connectedDevices: metricSum(text, 'fleetplane_broker_connected_devices'),
  };
}

export function sampleProcess(pid: number, metricsText?: string): PlatformSample {
  return {
    rssMb: treeResidentMb(pid),
    fds: treeDescriptors(pid),
    cpuSeconds: treeCpuSeconds(pid),
    ...(metricsText === undefined ? {} : { metrics: parsePlatformMetrics(metricsText) }),
  };
}
