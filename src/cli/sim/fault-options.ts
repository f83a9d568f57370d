import type { FaultSpec } from '../../device/sim/faults.js';
import { UsageError, type OptionSpec, type OptionValues } from '../command.js';
import { parseDuration } from './duration.js';

/** Each fault flag takes key=value pairs, comma-separated, and may be repeated. */
export const faultOptionSpec: OptionSpec = {
  'wifi-down': { type: 'string', multiple: true },
  'links-down': { type: 'string', multiple: true },
  'battery-cliff': { type: 'string', multiple: true },
  'clock-skew': { type: 'string', multiple: true },
  corrupt: { type: 'string', multiple: true },
  miscalibrate: { type: 'string', multiple: true },
  reboot: { type: 'string', multiple: true },
};

export const faultOptionHelp: readonly string[] = [
  'Faults (repeatable; at= simulated time after the start, default 0; carts= share of the fleet,',
  '10% or 0.1, default 10%):',
  '  --wifi-down at=2h,for=15m,carts=20%    WiFi down; LTE-M carries on',
  '  --links-down at=2h,for=15m,carts=20%   every link down: carts buffer, then replay',
  '  --battery-cliff at=3h,carts=5%         battery drained to the warning',
  '  --clock-skew skew=-90s,carts=10%       the cart clock runs behind (or ahead)',
  '  --corrupt rate=5%,carts=10%[,for=1h]   a share of payloads get a flipped byte after signing',
  '  --miscalibrate offset=60,carts=10%     weight platform reads OFFSET grams off',
  '  --reboot at=1h,carts=10%               power lost mid-session',
];

export type Fields = Map<string, string>;

/** The fault flags as the simulator's FaultSpecs; a malformed one is a usage error. */
export function parseFaultOptions(values: OptionValues): FaultSpec[] {
  const specs: FaultSpec[] = [];
  for (const flag of Object.keys(faultOptionSpec)) {
    const raw = values[flag];
    const texts = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
    for (const text of texts) specs.push(parseFault(flag, String(text)));
  }
  return specs;
}

function parseFault(flag: string, text: string): FaultSpec {
  const allowed: Record<string, readonly string[]> = {
    'wifi-down': ['at', 'for', 'carts'],
    'links-down': ['at', 'for', 'carts'],
    'battery-cliff': ['at', 'carts'],
    'clock-skew': ['at', 'skew', 'carts'],
    corrupt: ['at', 'for', 'rate', 'carts'],
    miscalibrate: ['at', 'offset', 'carts'],
    reboot: ['at', 'carts'],
  };
  const fields: Fields = new Map();
  for (const part of text.split(',')) {
    const [key, value, extra] = part.split('=');
    if (!key || value === undefined || value === '' || extra !== undefined)
      throw new UsageError(`--${flag}: '${part}' is not key=value`);
    if (!allowed[flag]!.includes(key))
      throw new UsageError(`--${flag}: unknown '${key}' (use ${allowed[flag]!.join(', ')})`);
    fields.set(key, value);
  }
  const atMs = duration(flag, fields, 'at') ?? 0;
  if (atMs < 0) throw new UsageError(`--${flag}: at= must not be negative`);
  const fraction = share(flag, fields, 'carts') ?? 0.1;
  const base = { atMs, fraction };
  const forMs = () => {
    const ms = duration(flag, fields, 'for') ?? 15 * 60_000;
    if (ms <= 0) throw new UsageError(`--${flag}: for= must be positive`);
    return ms;
  };
  switch (flag) {
    case 'wifi-down':
      return { kind: 'wifi-down', ...base, forMs: forMs() };
    case 'links-down':
      return { kind: 'links-down', ...base, forMs: forMs() };
    case 'battery-cliff':
      return { kind: 'battery-cliff', ...base };
    case 'clock-skew':
      return {
        kind: 'clock-skew',
        ...base,
        skewMs: required(flag, duration(flag, fields, 'skew'), 'skew'),
      };
    case 'corrupt': {
      const f = fields.has('for') ? { forMs: forMs() } : {};
      return {
        kind: 'corrupt-payloads',
        ...base,
        ...f,
        rate: required(flag, share(flag, fields, 'rate'), 'rate'),
      };
    }
    case 'miscalibrate': {
      const offset = fields.get('offset');
      if (offset === undefined || !/^-?[0-9]+$/.test(offset))
        throw new UsageError(`--miscalibrate: offset= must be whole grams, e.g. offset=60`);
      return { kind: 'miscalibrated-weight', ...base, offsetG: Number(offset) };
    }
    default:
      return { kind: 'reboot', ...base };
  }
}

export function duration(flag: string, fields: Fields, key: string): number | undefined {
  const text = fields.get(key);
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined)
    throw new UsageError(`--${flag}: ${key}=${text} is not a duration (90s, 15m, 8h, 7d)`);
  return ms;
}

/** 20% or 0.2. */
export function share(flag: string, fields: Fields, key: string): number | undefined {
  const text = fields.get(key);
  if (text === undefined) return undefined;
  const value = text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number(text);
  if (!/^[0-9.]+%?$/.test(text) || !Number.isFinite(value) || value < 0 || value > 1)
    throw new UsageError(`--${flag}: ${key}=${text} must be a share, 0 to 100% (or 0 to 1)`);
  return value;
}

export function required<T>(flag: string, value: T | undefined, key: string): T {
  if (value === undefined) throw new UsageError(`--${flag}: ${key}= is required`);
  return value;
}
