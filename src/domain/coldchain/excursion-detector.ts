import type {
  ExcursionKind,
  ExcursionRecord,
  ProductProfile,
  StoredReading,
} from '../../stores/entities/coldchain/coldchain-records.js';

/**
 * How many readings in a row open and close an excursion of each kind. Temperature and humidity
 * follow the seed's rule (two consecutive readings out of range open one) and close on two
 * consecutive readings back in range, so one reading at the edge neither opens nor ends one. A
 * shock is an impact, not a drift: one reading over the limit is an excursion of its own.
 */
const RULES: Record<ExcursionKind, { open: number; close: number }> = {
  temperature: { open: 2, close: 2 },
  humidity: { open: 2, close: 2 },
  shock: { open: 1, close: 1 },
};

interface Check {
  readonly kind: ExcursionKind;
  /** How far outside the range the reading is (> 0: out), and the bound it crossed. */
  readonly outside: (r: StoredReading) => { readonly by: number; readonly limit: number } | null;
  readonly value: (r: StoredReading) => number;
}

function checks(profile: ProductProfile): Check[] {
  const list: Check[] = [];
  const { minTempC: min, maxTempC: max, maxHumidityPct: hum, maxShockG: shock } = profile;
  if (min !== null || max !== null) {
    list.push({
      kind: 'temperature',
      value: (r) => r.temperatureC,
      outside: (r) => {
        if (max !== null && r.temperatureC > max) return { by: r.temperatureC - max, limit: max };
        if (min !== null && r.temperatureC < min) return { by: min - r.temperatureC, limit: min };
        return null;
      },
    });
  }
  if (hum !== null) {
    list.push({
      kind: 'humidity',
      value: (r) => r.humidityPct,
      outside: (r) => (r.humidityPct > hum ? { by: r.humidityPct - hum, limit: hum } : null),
    });
  }
  if (shock !== null) {
    list.push({
      kind: 'shock',
      value: (r) => r.shockG,
      outside: (r) => (r.shockG > shock ? { by: r.shockG - shock, limit: shock } : null),
    });
  }
  return list;
}

interface Open {
  startedAt: number;
  peak: number;
  peakAt: number;
  peakBy: number;
  limit: number;
  readings: number;
}

/**
 * The excursions in one device's readings on one shipment under its profile. A pure function of
 * the set of readings: they are ordered here (sensor time, then counter), so a replayed reading
 * (already held, not passed twice) changes nothing and a late one takes its place in time —
 * which is how the cloud handles out-of-order delivery: it derives the pair's excursions again.
 */
export function detectExcursions(
  readings: readonly StoredReading[],
  profile: ProductProfile,
): ExcursionRecord[] {
  const ordered = [...readings].sort((a, b) => a.readAt - b.readAt || a.counter - b.counter);
  return checks(profile).flatMap((check) => detectKind(ordered, check));
}

function detectKind(readings: readonly StoredReading[], check: Check): ExcursionRecord[] {
  const rule = RULES[check.kind];
  const found: ExcursionRecord[] = [];
  let open: Open | undefined;
  let outRun: StoredReading[] = [];
  let inRun: StoredReading[] = [];
  const absorb = (o: Open, r: StoredReading, by: number, limit: number) => {
    o.readings += 1;
    if (by > o.peakBy)
      Object.assign(o, { peak: check.value(r), peakAt: r.readAt, peakBy: by, limit });
  };
  const finish = (o: Open, endedAt: number | null): ExcursionRecord => ({
    kind: check.kind,
    startedAt: o.startedAt,
    endedAt,
    peak: o.peak,
    peakAt: o.peakAt,
    limit: o.limit,
    readings: o.readings,
  });
  for (const r of readings) {
    const out = check.outside(r);
    if (!open) {
      if (!out) {
        outRun = [];
        continue;
      }
      outRun.push(r);
      if (outRun.length < rule.open) continue;
      const first = outRun[0]!;
      open = { startedAt: first.readAt, peak: 0, peakAt: 0, peakBy: -1, limit: 0, readings: 0 };
      for (const o of outRun) {
        const x = check.outside(o)!;
        absorb(open, o, x.by, x.limit);
      }
      outRun = [];
      inRun = [];
    } else if (out) {
      inRun = [];
      absorb(open, r, out.by, out.limit);
    } else {
      inRun.push(r);
      if (inRun.length < rule.close) continue;
      found.push(finish(open, inRun[0]!.readAt));
      open = undefined;
      inRun = [];
    }
  }
  if (open) found.push(finish(open, null));
  return found;
}
