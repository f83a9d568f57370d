/**
 * GET /v1/metrics/history?window=1h|24h as columns for the charts: one time axis (seconds, as
 * uPlot wants) and one column per series, null where a sample lacks it. The reader accepts the
 * spellings a sample might use (camelCase or snake_case, ISO or epoch ms) so the charts do not
 * break on a renamed field; it is the one place that knows the answer's shape.
 */
export interface History {
  readonly times: number[];
  readonly messagesPerMinute: (number | null)[];
  readonly connectedDevices: (number | null)[];
  readonly p50Ms: (number | null)[];
  readonly p99Ms: (number | null)[];
  readonly rejects: Record<string, (number | null)[]>;
}

type Sample = Record<string, unknown>;

const ALIASES = {
  time: ['at', 't', 'ts', 'time', 'minute'],
  messages: ['storedPerMinute', 'messagesPerMinute', 'messages_per_minute', 'messages'],
  connected: ['connectedDevices', 'connected_devices', 'connected'],
  p50: ['publishToStoredP50Ms', 'publish_to_stored_p50_ms', 'p50Ms', 'p50'],
  p99: ['publishToStoredP99Ms', 'publish_to_stored_p99_ms', 'p99Ms', 'p99'],
  rejects: ['rejectsPerMinute', 'rejects', 'rejectsByReason', 'rejects_by_reason'],
};

function pick(sample: Sample, keys: readonly string[]): unknown {
  for (const key of keys) if (sample[key] !== undefined) return sample[key];
  const latency = sample['publishToStored'] ?? sample['latency'];
  if (typeof latency === 'object' && latency !== null) {
    for (const key of keys)
      if ((latency as Sample)[key] !== undefined) return (latency as Sample)[key];
  }
  return undefined;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function seconds(value: unknown): number | null {
  if (typeof value === 'number') return value > 1e11 ? value / 1000 : value;
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms / 1000;
  }
  return null;
}

export function readHistory(body: unknown): History {
  const raw = (body ?? {}) as Record<string, unknown>;
  const list =
    raw['points'] ?? raw['samples'] ?? raw['history'] ?? (Array.isArray(body) ? body : []);
  const samples = (Array.isArray(list) ? list : [])
    .filter((s): s is Sample => typeof s === 'object' && s !== null)
    .map((s) => ({ s, t: seconds(pick(s, ALIASES.time)) }))
    .filter((x): x is { s: Sample; t: number } => x.t !== null)
    .sort((a, b) => a.t - b.t);
  const reasons = new Set<string>();
  for (const { s } of samples) {
    const r = pick(s, ALIASES.rejects);
    if (typeof r === 'object' && r !== null) Object.keys(r).forEach((k) => reasons.add(k));
  }
  const rejects: Record<string, (number | null)[]> = {};
  for (const reason of [...reasons].sort()) {
    rejects[reason] = samples.map(({ s }) => {
      const r = pick(s, ALIASES.rejects) as Record<string, unknown> | undefined;
      return r ? (num(r[reason]) ?? 0) : null;
    });
  }
  return {
    times: samples.map((x) => x.t),
    messagesPerMinute: samples.map(({ s }) => num(pick(s, ALIASES.messages))),
    connectedDevices: samples.map(({ s }) => num(pick(s, ALIASES.connected))),
    p50Ms: samples.map(({ s }) => num(pick(s, ALIASES.p50))),
    p99Ms: samples.map(({ s }) => num(pick(s, ALIASES.p99))),
    rejects,
  };
}
