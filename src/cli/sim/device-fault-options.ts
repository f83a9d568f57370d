import type { DeviceFaultSpec } from '../../device/sim/device-faults.js';
import { UsageError, type OptionSpec, type OptionValues } from '../command.js';
import { duration, required, share, type Fields } from './fault-options.js';

/** Faults of cold-chain sensors and tools: key=value pairs, comma-separated, repeatable. */
const ALLOWED: Record<string, readonly string[]> = {
  'door-open': ['at', 'for', 'devices'],
  'reefer-failure': ['at', 'for', 'devices'],
  'low-battery': ['at', 'devices'],
  shock: ['at', 'g', 'devices'],
  silence: ['at', 'devices'],
  'device-clock-skew': ['at', 'skew', 'devices'],
  'gateway-down': ['at', 'for', 'devices'],
  overheat: ['at', 'devices'],
};

export const deviceFaultOptionSpec: OptionSpec = Object.fromEntries(
  Object.keys(ALLOWED).map((flag) => [flag, { type: 'string', multiple: true }]),
) as OptionSpec;

export const deviceFaultOptionHelp: readonly string[] = [
  'Sensor and tool faults (devices= share of the class it applies to, default 10%):',
  '  --door-open at=1h,for=20m,devices=30%       excursion: reefer door open (sensors)',
  '  --reefer-failure at=1h,for=3h,devices=30%   excursion: the cooling unit stops (sensors)',
  '  --low-battery at=30m,devices=20%            cell or pack down to 10 % (sensors, tools)',
  '  --shock at=2h,g=4.5,devices=20%             a knock at loading (sensors)',
  '  --silence at=2h,devices=10%                 the sensor stops reporting (sensors)',
  '  --device-clock-skew skew=-90s,devices=10%   the device clock runs off (sensors, tools)',
  '  --gateway-down at=1h,for=30m,devices=50%    no network: readings queue, then replay',
  '  --overheat at=1h,devices=30%                motor over temperature (tools)',
];

export function parseDeviceFaultOptions(values: OptionValues): DeviceFaultSpec[] {
  const specs: DeviceFaultSpec[] = [];
  for (const flag of Object.keys(ALLOWED)) {
    const raw = values[flag];
    const texts = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
    for (const text of texts) specs.push(parse(flag, String(text)));
  }
  return specs;
}

function parse(flag: string, text: string): DeviceFaultSpec {
  const fields: Fields = new Map();
  for (const part of text.split(',')) {
    const [key, value, extra] = part.split('=');
    if (!key || value === undefined || value === '' || extra !== undefined)
      throw new UsageError(`--${flag}: '${part}' is not key=value`);
    if (!ALLOWED[flag]!.includes(key))
      throw new UsageError(`--${flag}: unknown '${key}' (use ${ALLOWED[flag]!.join(', ')})`);
    fields.set(key, value);
  }
  const atMs = duration(flag, fields, 'at') ?? 0;
  const base = { atMs, fraction: share(flag, fields, 'devices') ?? 0.1 };
  const forMs = () => {
    const ms = duration(flag, fields, 'for') ?? 15 * 60_000;
    if (ms <= 0) throw new UsageError(`--${flag}: for= must be positive`);
    return ms;
  };
  switch (flag) {
    case 'door-open':
    case 'reefer-failure':
    case 'gateway-down':
      return { kind: flag, ...base, forMs: forMs() };
    case 'shock': {
      const g = Number(fields.get('g') ?? '4');
      if (!(g > 0 && g <= 200)) throw new UsageError(`--shock: g= must be above 0 and at most 200`);
      return { kind: 'shock', ...base, g };
    }
    case 'device-clock-skew':
      return {
        kind: 'device-clock-skew',
        ...base,
        skewMs: required(flag, duration(flag, fields, 'skew'), 'skew'),
      };
    case 'low-battery':
    case 'silence':
    case 'overheat':
      return { kind: flag, ...base };
    default:
      throw new UsageError(`--${flag}: not a device fault`);
  }
}
