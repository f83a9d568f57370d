import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { listDirectory, readTextFile, writeFileAtomic } from '../../../stores/data-dir/index.js';
import { rewriteSegmentWithout } from './subject-tokens.js';
import { tokenDigest } from './token-erasures.js';

/**
 * Restoring older data must not undo a DSAR (decisions 062, 064). The erasure lists, by domain
 * file name, as `ledgers` hold them (the live directory's before it was replaced, the keys set's,
 * the restored one's) are merged into DIR/privacy/token-erasures/: every digest any of them
 * lists, at its earliest time. Then every restored token segment is rewritten without the entries
 * of listed tokens. Returns how many entries went.
 */
export async function reapplyTokenErasures(
  dataDir: string,
  ledgers: readonly ReadonlyMap<string, string>[],
): Promise<{ readonly erasures: number; readonly purged: number }> {
  const root = resolve(dataDir);
  const ledgerDir = join(root, 'privacy', 'token-erasures');
  const merged = new Map<string, Map<string, string>>();
  const own = new Map<string, string>();
  for (const file of (await listDirectory(ledgerDir)).filter((f) => f.endsWith('.jsonl'))) {
    own.set(file, (await readTextFile(join(ledgerDir, file))) ?? '');
  }
  for (const ledger of [own, ...ledgers]) {
    for (const [file, text] of ledger) {
      const entries = merged.get(file) ?? new Map<string, string>();
      merged.set(file, entries);
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        const { h, at } = JSON.parse(line) as { h?: unknown; at?: unknown };
        if (typeof h !== 'string' || typeof at !== 'string') continue;
        const known = entries.get(h);
        if (known === undefined || at < known) entries.set(h, at);
      }
    }
  }
  let erasures = 0;
  let purged = 0;
  for (const [file, entries] of merged) {
    erasures += entries.size;
    const lines = [...entries].map(([h, at]) => JSON.stringify({ h, at }));
    await writeFileAtomic(join(ledgerDir, file), lines.join('\n') + '\n', { mode: 0o600 });
    const domainDir = join(root, 'privacy', 'tokens', file.replace(/\.jsonl$/, ''));
    for (const segment of (await listDirectory(domainDir)).filter((f) => f.endsWith('.jsonl'))) {
      purged += await rewriteSegmentWithout(join(domainDir, segment), (token) =>
        entries.has(tokenDigest(token)),
      );
    }
  }
  return { erasures, purged };
}

/** The erasure list files of a data directory, by file name, read now (before it is replaced). */
export async function readTokenErasureLedger(dataDir: string): Promise<Map<string, string>> {
  const dir = join(resolve(dataDir), 'privacy', 'token-erasures');
  const ledger = new Map<string, string>();
  const files = await readdir(dir).catch(() => [] as string[]);
  for (const file of files.filter((f) => f.endsWith('.jsonl'))) {
    ledger.set(file, (await readTextFile(join(dir, file))) ?? '');
  }
  return ledger;
}
