import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseSerialsCsv } from '../../src/cli/identity/batch/serials.js';
import { UsageError } from '../../src/cli/command.js';
import { parseMembersCsv } from '../../src/domain/customers/members-csv.js';
import { CATALOG_FIELDS, parseCatalog } from '../../src/stores/entities/catalog/parse-catalog.js';
import { EntityFailure } from '../../src/stores/entities/errors.js';

/**
 * The files operators import (catalogs, member exports, serial lists) under arbitrary content:
 * each is parsed, or refused as a whole with a closed error, and each bad row is named by a line
 * (or item) that exists. Nothing else may be thrown (issue 20).
 */
const cell = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer().map(String),
  fc.constantFrom('"', '""', ',', '\n', '\r\n', '\uFEFF', '4111111111111111', ''),
);
const csvLike = (header: readonly string[]) =>
  fc
    .array(fc.array(cell, { maxLength: header.length + 2 }), { maxLength: 12 })
    .map((rows) => [header.join(','), ...rows.map((r) => r.join(','))].join('\n'));
const anyText = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

function linesOf(text: string): number {
  return text.split(/\r\n|\n|\r/).length;
}

describe('imports under arbitrary content', () => {
  it('a catalog (CSV or JSON) is parsed with each rejection on a real line, or refused as invalid-catalog', () => {
    fc.assert(
      fc.property(
        fc.oneof(anyText, csvLike(CATALOG_FIELDS), csvLike(['sku', 'name', 'price_cents'])),
        fc.constantFrom('csv' as const, 'json' as const),
        (text, format) => {
          try {
            const parsed = parseCatalog(text, format);
            const max = format === 'csv' ? linesOf(text) : Number.MAX_SAFE_INTEGER;
            for (const r of parsed.rejected)
              assert.ok(r.line >= 1 && r.line <= max, `line ${r.line}`);
          } catch (error) {
            assert.ok(error instanceof EntityFailure, String(error));
            assert.equal(error.code, 'invalid-catalog');
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('a member export is imported row by row, each rejection with its line, or refused with a header error', () => {
    fc.assert(
      fc.property(
        fc.oneof(anyText, csvLike(['loyalty_number', 'email', 'first_name', 'last_name', 'phone'])),
        (text) => {
          const result = parseMembersCsv(text);
          if (result.headerError) assert.equal(typeof result.headerError, 'string');
          for (const r of result.rejected) assert.ok(r.line >= 2, `line ${r.line}`);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('a serials list is read or refused with a usage error naming the file, and the line when one is at fault', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, csvLike(['serial'])), (text) => {
        try {
          parseSerialsCsv(text, 'serials.csv');
        } catch (error) {
          assert.ok(error instanceof UsageError, String(error));
          assert.match(error.message, /^serials\.csv( line [0-9]+)?: /);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
