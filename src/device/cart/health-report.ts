import type { Health } from '../../contract/index.js';
import type { CartState } from './cart-types.js';
import type { LatLon } from './geo.js';
import type { MessageBody } from './messages.js';
import type { Battery } from './power.js';
import type { LinkKind, Radios } from './radios.js';
import type { Scanner } from './scanner.js';
import { HEALTH_STATE } from './states.js';
import type { WeightPlatform } from './weight.js';

/** The parts and facts a health report reads. */
export interface HealthSources {
  readonly state: CartState;
  readonly sessionId: string | undefined;
  readonly now: number;
  readonly bootAt: number;
  readonly battery: Battery;
  readonly scanner: Scanner;
  readonly weight: WeightPlatform;
  readonly radios: Radios;
  readonly link: LinkKind;
  readonly buffered: number;
  readonly firmware: string;
  readonly location: LatLon;
  /** Inside the store the fix is indoor positioning; outside, GNSS. */
  readonly inside: boolean;
}

/** A health message body, or nothing in a state that sends none (off, dead). */
export function healthReport(s: HealthSources): MessageBody | undefined {
  const state = HEALTH_STATE[s.state];
  if (!state) return undefined;
  const { now } = s;
  const rssi = s.radios.rssiDbm(s.link);
  const health: Omit<Health, 'schema_version' | 'device_id' | 'counter' | 'ts'> = {
    type: 'health',
    state,
    ...(s.sessionId !== undefined ? { session_id: s.sessionId } : {}),
    battery_pct: Math.round(s.battery.pct(now) * 10) / 10,
    battery_mv: s.battery.mv(now),
    charging: s.state === 'charging',
    link: s.link,
    ...(rssi !== undefined ? { rssi_dbm: rssi } : {}),
    scanner_temp_c: s.scanner.temperatureC,
    weight_drift_g: s.weight.driftG(now),
    firmware_version: s.firmware,
    uptime_s: Math.max(0, Math.floor((now - s.bootAt) / 1000)),
    buffered: s.buffered,
    location: {
      lat: s.location.lat,
      lon: s.location.lon,
      accuracy_m: s.inside ? 10 : 5,
      source: s.inside ? 'indoor' : 'gnss',
    },
  };
  return health;
}
