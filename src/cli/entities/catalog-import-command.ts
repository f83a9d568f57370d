import { resolve } from 'node:path';
import { requireString, stringOption, type Command } from '../command.js';
import { assertPlatformNotRunning } from '../../stores/data-dir/index.js';
import { importParsedCatalog, loadCatalog } from '../../stores/entities/catalog/import-catalog.js';
import { CATALOG_FIELDS } from '../../stores/entities/catalog/parse-catalog.js';
import { openEntityStore } from '../../stores/entities/index.js';
import { openIdentity, requireStore } from '../../edge/identity/index.js';

/** Rejections listed one per line up to this many; the rest are counted. */
const SHOWN_REJECTIONS = 50;

export const catalogImportCommand: Command = {
  path: ['catalog', 'import'],
  summary: "Import a store's item catalog (CSV or JSON) from its POS export.",
  usage: 'catalog import --data DIR --store ID --file F [--entity-url postgres://…]',
  details: [
    `Columns (CSV header or JSON keys): ${CATALOG_FIELDS.join(',')}. sku, name and`,
    'price_cents (whole cents) are required; the others may be empty. examples/catalog.csv is one.',
    'An upsert: importing the same file again changes nothing. Bad rows are listed with their',
    'line and reason and the rest import; the exit status is then 1.',
    'Without --entity-url the store is the embedded database in DIR, which only one process may',
    'open: while the platform runs on DIR, import through it.',
  ],
  options: {
    data: { type: 'string' },
    store: { type: 'string' },
    file: { type: 'string' },
    'entity-url': { type: 'string' },
  },
  required: ['data', 'store', 'file'],
  async run(values, io) {
    const dataDir = resolve(requireString(values, 'data'));
    const url = stringOption(values, 'entity-url');
    const record = await requireStore(openIdentity(dataDir).stores, requireString(values, 'store'));
    const file = requireString(values, 'file');
    // Read and check the file before opening the database: a typo costs nothing.
    const parsed = await loadCatalog(file);
    if (url === undefined) await assertPlatformNotRunning(dataDir, 'import the catalog');

    const store = await openEntityStore({ dataDir, ...(url !== undefined ? { url } : {}) });
    let result;
    try {
      await store.upsertStore({
        storeId: record.id,
        name: record.name,
        region: record.region,
        timezone: record.timezone,
      });
      result = await importParsedCatalog(store, record.id, parsed);
    } finally {
      await store.close();
    }

    const unchanged = result.imported - result.changed;
    io.out(
      `Imported ${result.imported} items into store ${record.id} ` +
        `(${result.changed} new or changed, ${unchanged} unchanged); ${result.rejected.length} rejected.`,
    );
    if (result.rejected.length === 0) return 0;
    for (const r of result.rejected.slice(0, SHOWN_REJECTIONS)) {
      io.err(`  ${result.unit} ${r.line}: ${r.reason}`);
    }
    if (result.rejected.length > SHOWN_REJECTIONS) {
      io.err(`  … and ${result.rejected.length - SHOWN_REJECTIONS} more`);
    }
    return 1;
  },
};
