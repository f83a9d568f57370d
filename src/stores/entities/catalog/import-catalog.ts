import { readFile } from 'node:fs/promises';
import type { EntityStore } from '../entity-store.js';
import { entityFailure } from '../errors.js';
import {
  catalogFormat,
  parseCatalog,
  type CatalogRejection,
  type ParsedCatalog,
} from './parse-catalog.js';

export interface CatalogImport {
  /** Valid items written or confirmed. */
  readonly imported: number;
  /** Of those, how many were new or different from what the store held. */
  readonly changed: number;
  readonly rejected: readonly CatalogRejection[];
  readonly unit: 'line' | 'item';
}

/**
 * Imports a catalog file (CSV or JSON, see parse-catalog.ts) into one store's items. An upsert:
 * running it twice changes nothing the second time. A malformed file imports nothing; a bad row
 * is reported and the rest still import.
 */
export async function importCatalog(
  store: EntityStore,
  storeId: string,
  file: string,
): Promise<CatalogImport> {
  return importParsedCatalog(store, storeId, await loadCatalog(file));
}

/** The second half of importCatalog, for a caller that read the file before opening the store. */
export async function importParsedCatalog(
  store: EntityStore,
  storeId: string,
  parsed: ParsedCatalog,
): Promise<CatalogImport> {
  const changed = await store.upsertCatalogItems(storeId, parsed.items);
  return { imported: parsed.items.length, changed, rejected: parsed.rejected, unit: parsed.unit };
}

/** Reads and validates a catalog file; Failures name the file or say what is malformed. */
export async function loadCatalog(file: string): Promise<ParsedCatalog> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw entityFailure('catalog-unreadable', `cannot read the catalog ${file} (${code})`, error);
  }
  return parseCatalog(text, catalogFormat(file, text));
}
