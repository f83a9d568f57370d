/**
 * How long ago (or how far ahead) an instant is, in the one unit a person reads at a glance:
 * "40s ago", "12m ago", "3h ago", "2d ago", "in 5m"; "-" for none.
 */
export function relativeTime(iso: string | null | undefined, now: number = Date.now()): string {
  if (iso === null || iso === undefined) return '-';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const seconds = Math.round((now - at) / 1000);
  const span = compactDuration(Math.abs(seconds) * 1000);
  if (seconds === 0) return 'now';
  return seconds > 0 ? `${span} ago` : `in ${span}`;
}

/** A duration in its largest whole unit: 950ms, 40s, 12m, 3h, 2d. */
export function compactDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}
