import { join } from 'node:path';
import {
  corruptFile,
  createJsonFileExclusive,
  listDirectory,
  readJsonFile,
  writeJsonFileAtomic,
  type DataLayout,
} from '../../../stores/data-dir/index.js';
import { CLAIM_ID_PATTERN } from './claim-certificate.js';
import type { ClaimTemplate } from './claim-template.js';

/** One claim certificate and what it may become, as `provision claim create` recorded it. */
export interface ClaimRecord {
  readonly id: string;
  readonly template: ClaimTemplate;
  readonly status: 'active' | 'revoked';
  readonly created_at: string;
  readonly expires_at: string;
  readonly revoked_at?: string;
  readonly certificate: {
    readonly serial_hex: string;
    readonly fingerprint256: string;
    readonly generation: number;
  };
}

/** The port: a file per claim now; a database adapter later passes the same tests. */
export interface ClaimRegistry {
  get(id: string): Promise<ClaimRecord | undefined>;
  create(record: ClaimRecord): Promise<'created' | 'exists'>;
  list(): Promise<ClaimRecord[]>;
  /** Marks a claim revoked; undefined when there is no such claim. */
  revoke(id: string, at: Date): Promise<ClaimRecord | undefined>;
}

/** Where claim records live: DIR/registry/claims, beside the devices and stores. */
export function claimsDir(layout: DataLayout): string {
  return join(layout.root, 'registry', 'claims');
}

/**
 * Claim records as one JSON file each, written atomically, like the device registry (decision
 * 002): the CLI writes them while the platform runs, and the broker reads the record on every
 * claim connection and request, so a revocation takes effect on the next request.
 */
export class FileClaimRegistry implements ClaimRegistry {
  readonly #dir: string;

  constructor(layout: DataLayout) {
    this.#dir = claimsDir(layout);
  }

  async get(id: string): Promise<ClaimRecord | undefined> {
    if (!CLAIM_ID_PATTERN.test(id)) return undefined;
    const path = join(this.#dir, `${id}.json`);
    const value = (await readJsonFile(path)) as ClaimRecord | undefined;
    if (value === undefined) return undefined;
    if (value.id !== id || !value.template || !value.certificate) {
      throw corruptFile(path, 'not a claim record');
    }
    return value;
  }

  async create(record: ClaimRecord): Promise<'created' | 'exists'> {
    const created = await createJsonFileExclusive(join(this.#dir, `${record.id}.json`), record);
    return created ? 'created' : 'exists';
  }

  async list(): Promise<ClaimRecord[]> {
    const names = (await listDirectory(this.#dir)).filter((n) => n.endsWith('.json'));
    const records = await Promise.all(names.map((n) => this.get(n.slice(0, -'.json'.length))));
    return records
      .filter((r): r is ClaimRecord => r !== undefined)
      .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
  }

  async revoke(id: string, at: Date): Promise<ClaimRecord | undefined> {
    const current = await this.get(id);
    if (!current || current.status === 'revoked') return current;
    const next: ClaimRecord = { ...current, status: 'revoked', revoked_at: at.toISOString() };
    await writeJsonFileAtomic(join(this.#dir, `${id}.json`), next);
    return next;
  }
}
