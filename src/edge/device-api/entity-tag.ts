/** The ETag header for a version: a strong entity tag. */
export function entityTag(version: string): string {
  return `"${version}"`;
}

/**
 * True when an If-None-Match header names this version (RFC 9110 13.1.2: weak comparison, a list
 * of tags or `*`), so the answer is 304 Not Modified.
 */
export function matchesIfNoneMatch(header: string | undefined, version: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((raw) => {
    const tag = raw.trim();
    if (tag === '*') return true;
    const opaque = tag.startsWith('W/') ? tag.slice(2) : tag;
    return opaque === entityTag(version);
  });
}
