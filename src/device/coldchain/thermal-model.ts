/**
 * The cargo's air temperature and humidity in a refrigerated container, as a first-order system:
 * the air approaches a target (the reefer's set point, or the outside air) exponentially with a
 * time constant set by what is happening. Pure functions, no randomness: the sensor adds its own
 * measurement noise on top.
 */
export interface ReeferConditions {
  /** Outside air, °C. */
  readonly ambientC: number;
  readonly ambientHumidityPct: number;
  /** The reefer unit's set point, °C. */
  readonly setPointC: number;
  readonly doorOpen: boolean;
  /** The refrigeration unit stopped (compressor, power, fuel): the box only insulates. */
  readonly reeferFailed: boolean;
}

export interface CargoAir {
  readonly temperatureC: number;
  readonly humidityPct: number;
}

/**
 * Time constants, in minutes. Pull-down after a closed door: return air in a loaded 40 ft reefer
 * recovers within about half an hour (Maersk/Carrier reefer handling guides: "allow 30 minutes
 * after door closing"). Door open: outside air replaces the box air in minutes. Failed unit, door
 * closed: a box with K ≈ 0.4 W/m²K and a full load of produce warms by degrees over hours, not
 * minutes (ISO 1496-2 heat leakage figures), hence 6 h.
 */
export const TAU_MIN = { pullDown: 20, doorOpen: 6, insulated: 360, humidity: 12 } as const;

/** Relative humidity a running reefer holds around chilled produce (typical 85–95 %). */
export const REEFER_HUMIDITY_PCT = 90;

/** Where the air is heading, and how fast, under these conditions. */
export function airTarget(c: ReeferConditions): { temperatureC: number; tauMin: number } {
  if (c.doorOpen) return { temperatureC: c.ambientC, tauMin: TAU_MIN.doorOpen };
  if (c.reeferFailed) return { temperatureC: c.ambientC, tauMin: TAU_MIN.insulated };
  return { temperatureC: c.setPointC, tauMin: TAU_MIN.pullDown };
}

/** The air after `dtMs` under constant conditions: the exact solution of dT/dt = (target − T)/τ. */
export function stepAir(air: CargoAir, c: ReeferConditions, dtMs: number): CargoAir {
  if (!(dtMs > 0)) return air;
  const minutes = dtMs / 60_000;
  const { temperatureC, tauMin } = airTarget(c);
  const humidityTarget = c.doorOpen || c.reeferFailed ? c.ambientHumidityPct : REEFER_HUMIDITY_PCT;
  const keepT = Math.exp(-minutes / tauMin);
  const keepH = Math.exp(-minutes / TAU_MIN.humidity);
  return {
    temperatureC: temperatureC + (air.temperatureC - temperatureC) * keepT,
    humidityPct: humidityTarget + (air.humidityPct - humidityTarget) * keepH,
  };
}

/** Outside air over a day: coldest at 04:00 UTC, warmest at 16:00, ±`swingC` around `meanC`. */
export function diurnalAmbientC(meanC: number, swingC: number, atMs: number): number {
  const hour = (atMs / 3_600_000) % 24;
  return meanC - swingC * Math.cos((2 * Math.PI * (hour - 4)) / 24);
}
