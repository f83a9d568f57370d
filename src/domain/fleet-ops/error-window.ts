/** Reject counts are kept eight days, so a window of a whole week is always complete. */
const MAX_WINDOW_MS = 7 * 86_400_000;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A top-errors window: minutes, hours or days (`30m`, `24h`, `7d`). */
export const WINDOW_PATTERN = '^[1-9][0-9]{0,4}[mhd]$';
export const DEFAULT_WINDOW = '24h';

/** The window in ms; undefined when it is not one or goes back more than a week. */
export function windowMs(text: string): number | undefined {
  if (!new RegExp(WINDOW_PATTERN).test(text)) return undefined;
  const ms = Number(text.slice(0, -1)) * UNIT_MS[text.slice(-1) as keyof typeof UNIT_MS];
  return ms <= MAX_WINDOW_MS ? ms : undefined;
}

/** The most devices one top-errors answer holds. */
export const MAX_TOP_ERRORS = 1000;
