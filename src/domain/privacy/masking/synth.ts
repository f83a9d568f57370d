import { nameLists } from './detect/name-lists.js';
import { formatOf, openRowWriter } from './records.js';

/**
 * Synthetic connected-tool telemetry with a realistic PII surface, for demos, tests and the
 * benchmark: a few thousand operators and tools used over and over (so joins and caches behave
 * as in real fleets), job sites in several countries, and a notes column where people type
 * names, phone numbers and emails. Deterministic for a seed.
 */
export const SYNTH_COLUMNS = [
  'recorded_at',
  'tool_serial',
  'operator_id',
  'operator_email',
  'operator_name',
  'gps_lat',
  'gps_lon',
  'job_site_address',
  'battery_pct',
  'torque_nm',
  'usage_minutes',
  'notes',
] as const;

export interface SynthOptions {
  readonly rows: number;
  readonly out: string;
  readonly format?: string;
  readonly seed?: number;
  /** Leave the free-text column out (the benchmark's "without free text" run). */
  readonly notes?: boolean;
  readonly onProgress?: (rows: number) => void;
}

/** mulberry32: small, fast, and the same sequence on every platform for a seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CITIES = [
  {
    city: 'London',
    lat: 51.5074,
    lon: -0.1278,
    street: (n: number, s: string) => `${n} ${s} Street, London`,
  },
  {
    city: 'Berlin',
    lat: 52.52,
    lon: 13.405,
    street: (n: number, s: string) => `${s}straße ${n}, 10115 Berlin`,
  },
  {
    city: 'Paris',
    lat: 48.8566,
    lon: 2.3522,
    street: (n: number, s: string) => `${n} rue ${s}, 75002 Paris`,
  },
  {
    city: 'Madrid',
    lat: 40.4168,
    lon: -3.7038,
    street: (n: number, s: string) => `Calle ${s} ${n}, 28013 Madrid`,
  },
  {
    city: 'Chicago',
    lat: 41.8781,
    lon: -87.6298,
    street: (n: number, s: string) => `${n} ${s} Avenue, Chicago, IL 60601`,
  },
  {
    city: 'Toronto',
    lat: 43.6532,
    lon: -79.3832,
    street: (n: number, s: string) => `${n} ${s} Road, Toronto, ON M5H 2N2`,
  },
  {
    city: 'Sydney',
    lat: -33.8688,
    lon: 151.2093,
    street: (n: number, s: string) => `${n} ${s} St, Sydney NSW 2000`,
  },
  {
    city: 'Lagos',
    lat: 6.5244,
    lon: 3.3792,
    street: (n: number, s: string) => `${n} ${s} Road, Lagos`,
  },
  {
    city: 'Tokyo',
    lat: 35.6762,
    lon: 139.6503,
    street: (n: number, s: string) =>
      `${(n % 9) + 1}-${(n % 20) + 1}-${(n % 7) + 1} ${s}, Shibuya-ku, Tokyo`,
  },
];
const STREET_NAMES = [
  'Oak',
  'Mill',
  'Station',
  'Garden',
  'Linden',
  'Birch',
  'Harbour',
  'Market',
  'Church',
  'Bridge',
  'Meadow',
  'Castle',
];
const DOMAINS = [
  'example.com',
  'mail.example.org',
  'example.co.uk',
  'builders.example.net',
  'example.de',
];
const PHONES = [
  (r: () => number) => `+44 7700 9${digits(r, 5)}`,
  (r: () => number) => `(555) ${digits(r, 3)}-${digits(r, 4)}`,
  (r: () => number) => `+49 151 ${digits(r, 8)}`,
  (r: () => number) => `06 ${digits(r, 2)} ${digits(r, 2)} ${digits(r, 2)} ${digits(r, 2)}`,
  (r: () => number) => `+81 90-${digits(r, 4)}-${digits(r, 4)}`,
  (r: () => number) => `+61 4${digits(r, 2)} ${digits(r, 3)} ${digits(r, 3)}`,
];
const NOTES: ((p: NotePieces) => string)[] = [
  (p) => `Battery swapped by ${p.name}.`,
  (p) => `Call ${p.name} on ${p.phone} about the charger.`,
  (p) => `Send the torque log to ${p.email} please.`,
  (p) => `Clutch slipping at setting ${p.n}, checked by ${p.first}.`,
  (p) => `Torque ${p.n} Nm, all good.`,
  (p) => `Handed over to ${p.name}, mobile ${p.phone}.`,
  (p) => `Firmware 2.${p.n}.1 installed, no faults.`,
  (p) => `Left the case at the site office, ask ${p.first}.`,
  (p) => `Error E-${p.n}${p.n} after ${p.n} cycles.`,
  (p) => `${p.name} (${p.email}) needs a new battery.`,
];
interface NotePieces {
  name: string;
  first: string;
  phone: string;
  email: string;
  n: number;
}

function digits(r: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(r() * 10);
  return s;
}

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
const capital = (s: string) =>
  s.replace(/(^|[-' ])(\p{L})/gu, (_, a: string, b: string) => a + b.toUpperCase());

export async function synthesize(options: SynthOptions): Promise<number> {
  const r = prng(options.seed ?? 42);
  const withNotes = options.notes !== false;
  const lists = nameLists();
  const firsts = [...lists.first].filter((n) => /^[a-z]/.test(n) && !lists.notNames.has(n));
  const lasts = [...lists.last].filter((n) => /^[a-z]/.test(n) && !lists.notNames.has(n));
  const operators = Array.from({ length: 2000 }, (_, i) => {
    const first = capital(pick(r, firsts));
    const last = capital(pick(r, lasts));
    const local = `${first}.${last}`.toLowerCase().replace(/[^a-z0-9.]/g, '');
    return {
      id: `OP-${String(10000 + i)}`,
      first,
      name: `${first} ${last}`,
      email: `${local || 'op'}${i % 7 === 0 ? i : ''}@${pick(r, DOMAINS)}`,
      phone: pick(r, PHONES)(r),
    };
  });
  const tools = Array.from({ length: 5000 }, () => `TL-${digits(r, 4)}-${digits(r, 6)}`);
  const sites = Array.from({ length: 400 }, () => {
    const c = pick(r, CITIES);
    return {
      address: c.street(1 + Math.floor(r() * 400), pick(r, STREET_NAMES)),
      lat: c.lat + (r() - 0.5) * 0.3,
      lon: c.lon + (r() - 0.5) * 0.3,
    };
  });
  const columns = withNotes ? [...SYNTH_COLUMNS] : SYNTH_COLUMNS.filter((c) => c !== 'notes');
  const writer = openRowWriter(options.out, formatOf(options.out, options.format), columns);
  let time = Date.parse('2026-01-05T06:00:00Z');
  try {
    for (let i = 1; i <= options.rows; i++) {
      time += Math.floor(r() * 90_000);
      const op = pick(r, operators);
      const site = pick(r, sites);
      const row: Record<string, unknown> = {
        recorded_at: new Date(time).toISOString().slice(0, 19) + 'Z',
        tool_serial: pick(r, tools),
        operator_id: op.id,
        operator_email: op.email,
        operator_name: op.name,
        gps_lat: (site.lat + (r() - 0.5) * 0.002).toFixed(6),
        gps_lon: (site.lon + (r() - 0.5) * 0.002).toFixed(6),
        job_site_address: site.address,
        battery_pct: Math.floor(r() * 101),
        torque_nm: (5 + r() * 200).toFixed(1),
        usage_minutes: Math.floor(r() * 240),
      };
      if (withNotes) {
        const other = pick(r, operators);
        row['notes'] =
          r() < 0.5
            ? ''
            : pick(
                r,
                NOTES,
              )({
                name: other.name,
                first: other.first,
                phone: other.phone,
                email: other.email,
                n: 1 + Math.floor(r() * 99),
              });
      }
      const pending = writer.write(row);
      if (pending) await pending;
      if (options.onProgress && i % 100_000 === 0) options.onProgress(i);
    }
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  return options.rows;
}
