import { Failure } from '../../shared/failure.js';

export class OperatorFailure extends Failure<'not-found' | 'ambiguous'> {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The minimum width of a column of ids a person types back (devices, stores): never cut. */
export const KEY = 64;

/** Tables show the first 8 characters of a UUID, as git shows a commit, to stay in 80 columns. */
export function shortId(id: string): string {
  return UUID.test(id) ? id.slice(0, 8) : id;
}

export function isFullId(id: string): boolean {
  return UUID.test(id);
}

/** The one item whose id starts with `prefix` (what a table showed), or a failure saying why not. */
export function pickByPrefix<T>(
  items: readonly T[],
  idOf: (item: T) => string,
  prefix: string,
  what: string,
): T {
  const matches = items.filter((item) => idOf(item).startsWith(prefix.toLowerCase()));
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw new OperatorFailure('not-found', `no ${what} ${prefix}`);
  throw new OperatorFailure(
    'ambiguous',
    `${matches.length} ${what}s start with ${prefix} (${matches.map(idOf).map(shortId).join(', ')}); give more of the id`,
  );
}
