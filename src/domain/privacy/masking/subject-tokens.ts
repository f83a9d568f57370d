import { createReadStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { listDirectory, readTextFile, writeFileAtomic } from '../../../stores/data-dir/index.js';
import type { KeyProvider } from '../../../stores/keys/index.js';
import { makeTokenizer } from './identifiers.js';
import { recordErasures } from './token-erasures.js';
import { tokenKeyName, tokensDir } from './token-store.js';

/** How many mapping entries one domain held for a person, and (after erase) destroyed. */
export interface DomainTokens {
  readonly domain: string;
  readonly entries: number;
}

// A segment line as TokenSegment writes it: {"t":"tok_<tag>_<32 hex>","v":{…}}.
const LINE_TOKEN = /^\{"t":"(tok_[0-9a-f]{8}_[0-9a-f]{32})"/;
const DOMAIN_DIR = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * A person's entries in the token mapping store (DIR/privacy/tokens/), found from their
 * identifiers. Tokens are a keyed PRF of domain and value, so a person's token in each domain is
 * computed from what the DSAR knows of them (account id, loyalty number, e-mail, phone): no
 * reverse index from person to token is kept, and the store needs no notion of a person. The
 * rubric may have trimmed or lower-cased a value before tokenising it, so each identifier is
 * tried as given, trimmed and lower-cased.
 */
export class SubjectTokenStore {
  constructor(
    private readonly dataDir: string,
    private readonly keys: KeyProvider,
  ) {}

  /** The domains whose store holds an entry for any of the identifiers. */
  async find(identifiers: readonly string[]): Promise<DomainTokens[]> {
    const found: DomainTokens[] = [];
    for (const domain of await this.#domains()) {
      const tokens = await this.#tokensOf(domain, identifiers);
      let entries = 0;
      for (const file of await segments(this.dataDir, domain)) {
        entries += (await tokensIn(file, tokens)).size;
      }
      if (entries > 0) found.push({ domain, entries });
    }
    return found;
  }

  /**
   * Destroys the entries: first the erasure list (flushed), so detokenize refuses the tokens
   * from then on whatever fails after; then each segment holding one is rewritten without it
   * (atomically: a reader sees the old segment or the new). Every token the identifiers give in
   * every domain is listed, held or not, so a later masking run over old data records none of
   * them. Returns, for the domains that held entries, how many went.
   */
  async erase(identifiers: readonly string[], at: Date): Promise<DomainTokens[]> {
    const erased: DomainTokens[] = [];
    for (const domain of await this.#domains()) {
      const tokens = await this.#tokensOf(domain, identifiers);
      const hits: { file: string; tokens: Set<string> }[] = [];
      for (const file of await segments(this.dataDir, domain)) {
        const held = await tokensIn(file, tokens);
        if (held.size > 0) hits.push({ file, tokens: held });
      }
      await recordErasures(this.dataDir, domain, [...tokens], at);
      let entries = 0;
      for (const hit of hits)
        entries += await rewriteSegmentWithout(hit.file, (t) => hit.tokens.has(t));
      if (entries > 0) erased.push({ domain, entries });
    }
    return erased;
  }

  async #domains(): Promise<string[]> {
    const root = join(resolve(this.dataDir), 'privacy', 'tokens');
    return (await listDirectory(root)).filter((d) => DOMAIN_DIR.test(d)).sort();
  }

  async #tokensOf(domain: string, identifiers: readonly string[]): Promise<Set<string>> {
    const tokenize = makeTokenizer(domain, await this.keys.dataKey(tokenKeyName(domain)));
    const values = new Set<string>();
    for (const id of identifiers) {
      for (const v of [id, id.trim(), id.trim().toLowerCase()]) if (v !== '') values.add(v);
    }
    return new Set([...values].map(tokenize));
  }
}

async function segments(dataDir: string, domain: string): Promise<string[]> {
  const dir = tokensDir(dataDir, domain);
  return (await listDirectory(dir))
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => join(dir, f));
}

/** Which of `tokens` the segment holds, read as a stream (segments can be large). */
async function tokensIn(file: string, tokens: ReadonlySet<string>): Promise<Set<string>> {
  const held = new Set<string>();
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      const token = LINE_TOKEN.exec(line)?.[1];
      if (token !== undefined && tokens.has(token)) held.add(token);
    }
  } finally {
    lines.close();
  }
  return held;
}

/**
 * Rewrites a token segment without the lines whose token `erased` names; returns how many went.
 * A segment with nothing to remove is left untouched.
 */
export async function rewriteSegmentWithout(
  file: string,
  erased: (token: string) => boolean,
): Promise<number> {
  const text = (await readTextFile(file)) ?? '';
  const kept: string[] = [];
  let removed = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const token = LINE_TOKEN.exec(line)?.[1];
    if (token !== undefined && erased(token)) removed++;
    else kept.push(line);
  }
  if (removed > 0) {
    await writeFileAtomic(file, kept.length > 0 ? kept.join('\n') + '\n' : '', { mode: 0o600 });
  }
  return removed;
}
