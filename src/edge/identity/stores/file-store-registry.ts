import { isStoreId, type StoreId } from '../../../contract/ids.js';
import {
  corruptFile,
  createJsonFileExclusive,
  listDirectory,
  readJsonFile,
  type DataLayout,
} from '../../../stores/data-dir/index.js';
import { isRegion, type StoreRecord, type StoreRegistry } from './store-registry.js';

/** Stores as one JSON file each under DIR/registry/stores, created exclusively. */
export class FileStoreRegistry implements StoreRegistry {
  constructor(private readonly layout: DataLayout) {}

  async get(id: StoreId): Promise<StoreRecord | undefined> {
    const path = this.layout.store(id);
    const value = await readJsonFile(path);
    if (value === undefined) return undefined;
    const problem = storeRecordProblem(value);
    if (problem) throw corruptFile(path, problem);
    const record = value as StoreRecord;
    return record.id === id ? record : undefined;
  }

  async create(record: StoreRecord): Promise<'created' | 'exists'> {
    return (await createJsonFileExclusive(this.layout.store(record.id), record))
      ? 'created'
      : 'exists';
  }

  async list(): Promise<StoreRecord[]> {
    const names = (await listDirectory(this.layout.storesDir)).filter((n) => n.endsWith('.json'));
    const records = await Promise.all(
      names.map((n) => this.get(n.slice(0, -'.json'.length) as StoreId)),
    );
    return records
      .filter((r): r is StoreRecord => r !== undefined)
      .sort((a, b) => a.id.localeCompare(b.id));
  }
}

function storeRecordProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const r = value as Record<string, unknown>;
  if (typeof r['id'] !== 'string' || !isStoreId(r['id'])) return 'bad id';
  if (typeof r['name'] !== 'string') return 'bad name';
  if (r['region'] !== null && (typeof r['region'] !== 'string' || !isRegion(r['region']))) {
    return 'bad region';
  }
  if (r['timezone'] !== null && typeof r['timezone'] !== 'string') return 'bad timezone';
  if (typeof r['created_at'] !== 'string') return 'bad created_at';
  return undefined;
}
