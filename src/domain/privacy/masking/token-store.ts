import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createJsonFileExclusive, listDirectory } from '../../../stores/data-dir/index.js';
import { isSealed, open, seal, type KeyProvider } from '../../../stores/keys/index.js';
import { maskFailure } from './errors.js';
import { BoundedCache, TOKEN_SHAPE, checkDomain } from './identifiers.js';
import { LineLog } from './records.js';
import { loadErasures, tokenDigest } from './token-erasures.js';

/**
 * The token mapping store: which value a token stands for, kept apart from the masked data and
 * encrypted at rest under the domain's own store key (AES-256-GCM; the key is wrapped by the
 * keyring). One segment file per masking run, mode 0600, appended as the run goes:
 *
 *   DIR/privacy/tokens/<domain>/<run>.jsonl   {"t": token, "v": sealed value}
 *   DIR/privacy/audit/detokenize/<time>-<random>.json   one record per detokenization
 *   DIR/privacy/token-erasures/<domain>.jsonl   tokens erased under a DSAR (token-erasures.ts)
 *
 * Tokens are derived (a keyed PRF), so masking never has to read this store; it exists only so
 * that an authorised person can go back, through `mask detokenize`, which is audited.
 */
export function storeKeyName(domain: string): string {
  return `domain.${domain}.token-store`;
}

export function tokenKeyName(domain: string): string {
  return `domain.${domain}.token`;
}

export function tokensDir(dataDir: string, domain: string): string {
  return join(resolve(dataDir), 'privacy', 'tokens', checkDomain(domain));
}

const aad = (domain: string, token: string) => `fleetplane:token:${domain}:${token}`;

export class TokenSegment {
  private readonly written = new BoundedCache<true>(100_000);
  private constructor(
    private readonly log: LineLog,
    private readonly domain: string,
    private readonly key: Buffer,
    /** Digests of tokens erased under a DSAR: never recorded again, even from old data. */
    private readonly erased: ReadonlyMap<string, string>,
  ) {}

  static async open(
    dataDir: string,
    domain: string,
    run: string,
    keys: KeyProvider,
  ): Promise<TokenSegment> {
    const dir = tokensDir(dataDir, domain);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return new TokenSegment(
      new LineLog(join(dir, `${run}.jsonl`), 0o600),
      domain,
      await keys.dataKey(storeKeyName(domain)),
      await loadErasures(dataDir, domain),
    );
  }

  /** Records that `token` stands for `value`, once per token as far as memory allows. */
  record(token: string, value: string): Promise<void> | undefined {
    if (this.written.get(token)) return undefined;
    this.written.set(token, true);
    if (this.erased.size > 0 && this.erased.has(tokenDigest(token))) return undefined;
    const sealed = seal(this.key, Buffer.from(value, 'utf8'), aad(this.domain, token));
    return this.log.write(JSON.stringify({ t: token, v: sealed }));
  }

  close(): Promise<void> {
    return this.log.close();
  }

  discard(): Promise<void> {
    return this.log.discard();
  }
}

export interface DetokenizeRequest {
  readonly dataDir: string;
  readonly domain: string;
  readonly token: string;
  readonly reason: string;
  readonly actor?: string;
  readonly now: Date;
}

export interface DetokenizeResult {
  readonly value: string;
  readonly auditFile: string;
}

/**
 * Finds the value behind a token. The audit record (who, why, when, which token) is written
 * before the value is returned, and the request fails if it cannot be written. A token erased
 * under a DSAR is refused as such ('token-erased'), and the refusal is audited like a lookup.
 */
export async function detokenize(
  req: DetokenizeRequest,
  keys: KeyProvider,
): Promise<DetokenizeResult> {
  const domain = checkDomain(req.domain);
  if (!TOKEN_SHAPE.test(req.token))
    throw maskFailure('unknown-token', `'${req.token}' is not a token`);
  const key = await keys.dataKey(storeKeyName(domain));
  const dir = tokensDir(req.dataDir, domain);
  const erasedAt = (await loadErasures(req.dataDir, domain)).get(tokenDigest(req.token));
  let value: string | undefined;
  const files = erasedAt === undefined ? await listDirectory(dir) : [];
  for (const file of files.filter((f) => f.endsWith('.jsonl')).sort()) {
    value = await findIn(join(dir, file), req.token, domain, key);
    if (value !== undefined) break;
  }
  const actor = req.actor ?? safeUser();
  const auditFile = join(
    resolve(req.dataDir),
    'privacy',
    'audit',
    'detokenize',
    `${req.now.toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.json`,
  );
  await createJsonFileExclusive(
    auditFile,
    {
      action: 'detokenize',
      at: req.now.toISOString(),
      actor,
      host: hostname(),
      reason: req.reason,
      domain,
      token: req.token,
      found: value !== undefined,
      ...(erasedAt !== undefined ? { refused: 'deleted under DSAR', erased_at: erasedAt } : {}),
    },
    { mode: 0o600 },
  );
  if (erasedAt !== undefined) {
    throw maskFailure(
      'token-erased',
      `${req.token} in domain '${domain}' was deleted under DSAR at ${erasedAt}; its value is gone (the attempt was audited: ${auditFile})`,
    );
  }
  if (value === undefined) {
    throw maskFailure(
      'unknown-token',
      `no value for ${req.token} in domain '${domain}' (the attempt was audited: ${auditFile})`,
    );
  }
  return { value, auditFile };
}

async function findIn(
  path: string,
  token: string,
  domain: string,
  key: Buffer,
): Promise<string | undefined> {
  const needle = `"t":"${token}"`;
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (!line.includes(needle)) continue;
      const entry = JSON.parse(line) as { t?: unknown; v?: unknown };
      if (entry.t !== token || !isSealed(entry.v)) continue;
      return open(key, entry.v, aad(domain, token)).toString('utf8');
    }
  } finally {
    lines.close();
  }
  return undefined;
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
