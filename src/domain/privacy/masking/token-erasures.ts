import { createHash } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readTextFile } from '../../../stores/data-dir/index.js';
import { checkDomain } from './identifiers.js';

/**
 * Which tokens were erased under a data-subject request, per domain:
 *
 *   DIR/privacy/token-erasures/<domain>.jsonl   {"h": sha256(token), "at": ISO time}
 *
 * Removing a person's entries from the mapping segments is not enough on its own: a later masking
 * run over old data would record the value again, and a restored segment would bring it back. This
 * list outlives both: detokenize refuses a listed token ('token-erased'), and a masking run does
 * not record one. It holds digests rather than tokens, so the file does not itself name which
 * pseudonyms belonged to people who asked to be forgotten.
 */
export function erasuresFile(dataDir: string, domain: string): string {
  return join(resolve(dataDir), 'privacy', 'token-erasures', `${checkDomain(domain)}.jsonl`);
}

export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The erased tokens of a domain, by digest, with when each was erased. */
export async function loadErasures(dataDir: string, domain: string): Promise<Map<string, string>> {
  const text = await readTextFile(erasuresFile(dataDir, domain));
  const erased = new Map<string, string>();
  for (const line of (text ?? '').split('\n')) {
    if (line.trim() === '') continue;
    const entry = JSON.parse(line) as { h?: unknown; at?: unknown };
    if (typeof entry.h === 'string' && typeof entry.at === 'string') erased.set(entry.h, entry.at);
  }
  return erased;
}

/** Appends and flushes before returning: the erasure holds even if what follows fails. */
export async function recordErasures(
  dataDir: string,
  domain: string,
  tokens: readonly string[],
  at: Date,
): Promise<void> {
  if (tokens.length === 0) return;
  const file = erasuresFile(dataDir, domain);
  await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
  const lines = tokens.map((t) => JSON.stringify({ h: tokenDigest(t), at: at.toISOString() }));
  const handle = await open(file, 'a', 0o600);
  try {
    await handle.writeFile(lines.join('\n') + '\n');
    await handle.sync();
  } finally {
    await handle.close();
  }
}
