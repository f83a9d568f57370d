/** Figures of the power model as people read them: the unit that keeps two or three digits. */

const sig = (n: number, digits = 3): string => String(Number(n.toPrecision(digits)));

/** 0.4 → "400 mA", 0.000608 → "609 µA", 1.2 → "1.2 A". */
export function formatCurrent(amperes: number): string {
  const a = Math.abs(amperes);
  if (a >= 1) return `${sig(amperes)} A`;
  if (a >= 1e-3) return `${sig(amperes * 1e3)} mA`;
  return `${sig(amperes * 1e6)} µA`;
}

/** Hours of battery life: "19.5 h", "12 days", "1.21 years", "never runs out". */
export function formatLife(hours: number): string {
  if (!Number.isFinite(hours)) return 'never runs out';
  if (hours < 48) return `${sig(hours)} h`;
  if (hours < 24 * 365.25) return `${sig(hours / 24)} days`;
  return `${sig(hours / (24 * 365.25))} years`;
}

/** A share as a percentage: 0.385 → "38.5 %", 0.00028 → "0.028 %". */
export function formatPct(share: number): string {
  const pct = share * 100;
  if (pct === 0) return '0 %';
  return `${Math.abs(pct) >= 1 ? sig(pct) : sig(pct, 2)} %`;
}

/** Bit rates: "10 kbit/s", "5 Mbit/s". */
export function formatBps(bps: number): string {
  if (bps >= 1e6) return `${sig(bps / 1e6)} Mbit/s`;
  if (bps >= 1e3) return `${sig(bps / 1e3)} kbit/s`;
  return `${sig(bps)} bit/s`;
}
