/**
 * When salts rotate and how long a superseded salt stays usable: pure functions of the salt
 * records and `now`, so the rules are tested without files.
 *
 * Salts rotate quarterly. A scheduled rotation takes effect at the start of the quarter (not
 * whenever the first job of the quarter happens to run), so "usable for 30 days after rotation"
 * means the same dates whatever ran when. A manual rotation (a suspected leak) takes effect at once.
 */
export const SALT_OVERLAP_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** What a key provider knows about a salt without its material. */
export interface SaltInfo {
  readonly id: string;
  /** The calendar quarter it serves, e.g. '2026q3'. */
  readonly quarter: string;
  /** When it became the current salt. */
  readonly activeFrom: Date;
  readonly reason: 'first' | 'scheduled' | 'manual';
}

export type SaltState =
  | { readonly state: 'current' }
  | { readonly state: 'previous'; readonly usableUntil: Date }
  | { readonly state: 'expired'; readonly usableUntil: Date };

export function quarterOf(date: Date): string {
  return `${date.getUTCFullYear()}q${Math.floor(date.getUTCMonth() / 3) + 1}`;
}

export function quarterStart(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), Math.floor(date.getUTCMonth() / 3) * 3, 1));
}

/** Oldest first: the order rotations happened in. */
export function byActivation<T extends SaltInfo>(salts: readonly T[]): T[] {
  return [...salts].sort(
    (a, b) => a.activeFrom.getTime() - b.activeFrom.getTime() || a.id.localeCompare(b.id),
  );
}

/** True when the newest salt serves an earlier quarter than `now`'s: a scheduled rotation is due. */
export function rotationDue(salts: readonly SaltInfo[], now: Date): boolean {
  const newest = byActivation(salts).at(-1);
  return newest === undefined || newest.quarter < quarterOf(now);
}

/**
 * A salt is current while it is the newest; once superseded it stays usable until 30 days after
 * its successor became active, and is refused from then on.
 */
export function saltState(
  salts: readonly SaltInfo[],
  id: string,
  now: Date,
): SaltState | undefined {
  const ordered = byActivation(salts);
  const index = ordered.findIndex((s) => s.id === id);
  if (index < 0) return undefined;
  const successor = ordered[index + 1];
  if (!successor) return { state: 'current' };
  const usableUntil = new Date(successor.activeFrom.getTime() + SALT_OVERLAP_DAYS * DAY_MS);
  return now.getTime() < usableUntil.getTime()
    ? { state: 'previous', usableUntil }
    : { state: 'expired', usableUntil };
}
