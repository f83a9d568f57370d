import type { CatalogItem } from '../entity-store.js';
import { entityFailure } from '../errors.js';
import { CsvSyntaxError, readCsv } from './csv.js';

/**
 * A store's catalog as its POS exports it, CSV or JSON, with the same field names in both:
 *
 *   sku,barcode,name,price_cents,weight_g,category
 *
 * sku, name and price_cents are required; barcode, weight_g (expected weight, for the cart's
 * weight check) and category may be empty or absent. Prices are whole cents, so no decimal
 * separator or currency symbol can be misread. Columns may come in any order; an unknown column
 * fails the whole file (a `price` in euros must not pass silently as nothing).
 *
 * Each bad row is rejected with its line (CSV) or its position (JSON, 1-based) and a reason; the
 * good rows stand on their own.
 */
export const CATALOG_FIELDS = ['sku', 'barcode', 'name', 'price_cents', 'weight_g', 'category'];
const REQUIRED = ['sku', 'name', 'price_cents'];

export interface CatalogRejection {
  /** CSV: the line the row starts on. JSON: the item's position in the array, from 1. */
  readonly line: number;
  readonly reason: string;
}

export interface ParsedCatalog {
  readonly items: CatalogItem[];
  readonly rejected: CatalogRejection[];
  /** What `line` counts: lines of a CSV file or items of a JSON array. */
  readonly unit: 'line' | 'item';
}

// The same limits the wire contract puts on scans, so every imported item can be scanned.
const SKU = /^[A-Za-z0-9._-]{1,40}$/;
// GS (0x1D) is the GS1 separator a scanner decodes: the control character is meant.
// eslint-disable-next-line no-control-regex
const BARCODE = /^[\u001D!-~]{1,80}$/;
const MAX_PRICE_CENTS = 10_000_000;
const MAX_WEIGHT_G = 30_000;
// Finding control characters is the point of this one.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F]/;

export function parseCatalog(text: string, format: 'csv' | 'json'): ParsedCatalog {
  return format === 'csv' ? parseCsv(text) : parseJson(text);
}

/** By extension; otherwise a file whose first character is '[' is JSON. */
export function catalogFormat(path: string, text: string): 'csv' | 'json' {
  const lower = path.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.csv')) return 'csv';
  return text.trimStart().startsWith('[') ? 'json' : 'csv';
}

function parseCsv(text: string): ParsedCatalog {
  let records;
  try {
    records = readCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      throw entityFailure('invalid-catalog', `the CSV is malformed at ${error.message}`);
    }
    throw error;
  }
  const [header, ...rows] = records;
  if (!header) throw entityFailure('invalid-catalog', 'the CSV is empty; expected a header line');
  const columns = header.fields.map((f) => f.trim().toLowerCase());
  checkColumns(columns);
  const collector = new Collector('line');
  for (const row of rows) {
    if (row.fields.length !== columns.length) {
      collector.reject(
        row.line,
        `${row.fields.length} fields where the header has ${columns.length}`,
      );
      continue;
    }
    const raw: Record<string, string> = {};
    columns.forEach((c, i) => (raw[c] = row.fields[i]!.trim()));
    collector.add(row.line, raw);
  }
  return collector.result();
}

function parseJson(text: string): ParsedCatalog {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw entityFailure(
      'invalid-catalog',
      `the JSON is malformed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!Array.isArray(data)) {
    throw entityFailure('invalid-catalog', 'a JSON catalog is an array of items');
  }
  const collector = new Collector('item');
  data.forEach((value: unknown, index) => {
    const position = index + 1;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      collector.reject(position, 'not an object');
      return;
    }
    const raw: Record<string, string> = {};
    for (const [key, v] of Object.entries(value)) {
      if (!CATALOG_FIELDS.includes(key)) {
        collector.reject(position, `unknown field '${key}' (fields: ${CATALOG_FIELDS.join(', ')})`);
        return;
      }
      if (v === null || v === undefined) continue;
      if (typeof v !== 'string' && typeof v !== 'number') {
        collector.reject(position, `${key} must be a string or a number`);
        return;
      }
      raw[key] = String(v).trim();
    }
    collector.add(position, raw);
  });
  return collector.result();
}

function checkColumns(columns: readonly string[]): void {
  const unknown = columns.filter((c) => !CATALOG_FIELDS.includes(c));
  if (unknown.length > 0) {
    throw entityFailure(
      'invalid-catalog',
      `unknown column ${unknown.map((c) => `'${c}'`).join(', ')}; the columns are ${CATALOG_FIELDS.join(',')}`,
    );
  }
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    throw entityFailure('invalid-catalog', `the header lacks ${missing.join(', ')}`);
  }
  const repeated = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (repeated.length > 0) {
    throw entityFailure('invalid-catalog', `column ${repeated[0]} appears twice`);
  }
}

/** Validates rows one by one and remembers where each sku was first seen. */
class Collector {
  private readonly items: CatalogItem[] = [];
  private readonly rejected: CatalogRejection[] = [];
  private readonly seen = new Map<string, number>();

  constructor(private readonly unit: 'line' | 'item') {}

  reject(line: number, reason: string): void {
    this.rejected.push({ line, reason });
  }

  add(line: number, raw: Record<string, string>): void {
    const checked = validate(raw);
    if (typeof checked === 'string') return this.reject(line, checked);
    const first = this.seen.get(checked.sku);
    if (first !== undefined) {
      return this.reject(line, `sku ${checked.sku} already appears on ${this.unit} ${first}`);
    }
    this.seen.set(checked.sku, line);
    this.items.push(checked);
  }

  result(): ParsedCatalog {
    return { items: this.items, rejected: this.rejected, unit: this.unit };
  }
}

/** The item, or why the row is not one. */
function validate(raw: Record<string, string>): CatalogItem | string {
  const sku = raw['sku'] ?? '';
  if (!SKU.test(sku)) {
    return sku === ''
      ? 'sku is empty'
      : `sku '${sku}' is not 1-40 letters, digits, '.', '_' or '-'`;
  }
  const name = raw['name'] ?? '';
  if (name === '') return 'name is empty';
  if (name.length > 200) return 'name is longer than 200 characters';
  if (CONTROL.test(name)) return 'name contains a control character';
  const priceCents = wholeNumber(raw['price_cents'] ?? '', MAX_PRICE_CENTS);
  if (typeof priceCents === 'string') return `price_cents ${priceCents}`;
  const item: { -readonly [K in keyof CatalogItem]: CatalogItem[K] } = { sku, name, priceCents };

  const barcode = raw['barcode'] ?? '';
  if (barcode !== '') {
    if (!BARCODE.test(barcode))
      return `barcode '${barcode}' is not 1-80 printable ASCII characters`;
    item.barcode = barcode;
  }
  const weight = raw['weight_g'] ?? '';
  if (weight !== '') {
    const weightG = wholeNumber(weight, MAX_WEIGHT_G);
    if (typeof weightG === 'string') return `weight_g ${weightG}`;
    item.weightG = weightG;
  }
  const category = raw['category'] ?? '';
  if (category !== '') {
    if (category.length > 64 || CONTROL.test(category)) {
      return 'category must be at most 64 characters without control characters';
    }
    item.category = category;
  }
  return item;
}

function wholeNumber(text: string, max: number): number | string {
  if (text === '') return 'is empty';
  if (!/^[0-9]+$/.test(text)) return `must be a whole number, got '${text}'`;
  const value = Number(text);
  if (value > max) return `must be at most ${max}, got ${text}`;
  return value;
}
