/**
 * How the console writes numbers, money and times. Pure and locale-explicit, so a tablet and a
 * test read the same text; pages pass the browser's locale.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Below this a cart's link starts dropping packets (the platform's weak-signal line). */
export const WEAK_SIGNAL_DBM = -80;

export function formatMoney(
  cents: number | null | undefined,
  currency: string | null | undefined,
  locale = 'en',
): string {
  if (cents === null || cents === undefined) return '—';
  if (!currency) return (cents / 100).toFixed(2);
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago"; "never" for no time. */
export function formatAgo(iso: string | null | undefined, now: number): string {
  if (!iso) return 'never';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return 'unknown';
  const ms = now - at;
  if (ms < 0) return 'just now';
  if (ms < 5_000) return 'just now';
  if (ms < MINUTE) return `${Math.floor(ms / 1000)} s ago`;
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min ago`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)} h ago`;
  return `${Math.floor(ms / DAY)} d ago`;
}

/** "1 h 20 min", "45 s", "2 d 3 h": two units at most. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '0 s';
  const parts: [number, string][] = [
    [Math.floor(ms / DAY), 'd'],
    [Math.floor((ms % DAY) / HOUR), 'h'],
    [Math.floor((ms % HOUR) / MINUTE), 'min'],
    [Math.floor((ms % MINUTE) / 1000), 's'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  if (first === -1) return '0 s';
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, unit]) => `${n} ${unit}`)
    .join(' ');
}

export function formatDateTime(iso: string | null | undefined, locale = 'en'): string {
  if (!iso) return '—';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
}

export function formatPct(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${value.toFixed(digits)} %`;
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export function formatCount(n: number | null | undefined, locale = 'en'): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(n);
}

export type Level = 'good' | 'warn' | 'bad' | 'unknown';

/** Battery as people read it: below 20 % is low, below 10 % critical. */
export function batteryLevel(pct: number | null | undefined): Level {
  if (pct === null || pct === undefined) return 'unknown';
  if (pct < 10) return 'bad';
  if (pct < 20) return 'warn';
  return 'good';
}

export function signalLevel(rssiDbm: number | null | undefined): Level {
  if (rssiDbm === null || rssiDbm === undefined) return 'unknown';
  return rssiDbm < WEAK_SIGNAL_DBM ? 'warn' : 'good';
}

export function formatSignal(rssiDbm: number | null | undefined): string {
  if (rssiDbm === null || rssiDbm === undefined) return 'no report';
  return `${rssiDbm} dBm${rssiDbm < WEAK_SIGNAL_DBM ? ' (weak)' : ''}`;
}

/** A machine code (weight-mismatch, exit-without-pay) as words: "weight mismatch". */
export function humanize(code: string | null | undefined): string {
  if (!code) return '—';
  const words = code
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
