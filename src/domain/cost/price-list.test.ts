import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { DEFAULT_PRICE_FILE, loadPriceFile, parsePriceFile, PriceFileError } from './price-file.js';
import { AWS_PRICE_KEYS, SELF_HOSTED_PRICE_KEYS } from './price-list.js';

const text = await readFile(DEFAULT_PRICE_FILE, 'utf8');
/** The dated file with the value at `path` replaced, or removed when `value` is undefined. */
const edited = (path: readonly string[], value?: unknown) => {
  const doc = JSON.parse(text) as Record<string, unknown>;
  let at = doc;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
  if (value === undefined) delete at[path.at(-1)!];
  else at[path.at(-1)!] = value;
  return JSON.stringify(doc, null, 2);
};

describe('the price file', () => {
  it('holds every price the model uses, each with a source, a basis and a date', async () => {
    const prices = await loadPriceFile();
    assert.equal(prices.currency, 'USD');
    assert.deepEqual(Object.keys(prices.aws).sort(), [...AWS_PRICE_KEYS].sort());
    assert.deepEqual(Object.keys(prices.selfHosted).sort(), [...SELF_HOSTED_PRICE_KEYS].sort());
    for (const price of [...Object.values(prices.aws), ...Object.values(prices.selfHosted)]) {
      assert.ok(price.source.length > 10, price.unit);
      assert.equal(price.date, prices.asOf);
    }
  });

  it('refuses a price without its source, naming the field and its line', () => {
    const bad = edited(['aws', 'kmsKeyMonth', 'source']);
    const result = parsePriceFile(bad, 'p.json');
    assert.equal(result.ok, false);
    assert.match(
      !result.ok ? result.error : '',
      /^p\.json:\d+:\d+: aws\.kmsKeyMonth: the field 'source' is required$/,
    );
  });

  it('refuses a negative price, a basis it does not know and a field it does not know', () => {
    const cases: [readonly string[], unknown, RegExp][] = [
      [
        ['aws', 'lambdaRequestsPerMillion', 'usd'],
        -1,
        /aws\.lambdaRequestsPerMillion\.usd: must be >= 0/,
      ],
      [
        ['selfHosted', 'vcpuMonth', 'basis'],
        'guess',
        /selfHosted\.vcpuMonth\.basis: .*\(public-list-price, seed, assumption\)/,
      ],
      [['aws', 'ec2'], { usd: 1 }, /aws\.ec2: is not a known field/],
      [
        ['aws', 'dynamoDbWriteUnitsPerMillion'],
        undefined,
        /aws: the field 'dynamoDbWriteUnitsPerMillion' is required/,
      ],
    ];
    for (const [path, value, message] of cases) {
      const result = parsePriceFile(edited(path, value), 'p.json');
      assert.match(result.ok ? 'accepted' : result.error, message);
    }
  });

  it('points at the line of the value that is wrong', () => {
    const bad = text.replace('"usd": 0.625', '"usd": "cheap"');
    const line = bad.split('\n').findIndex((l) => l.includes('"cheap"')) + 1;
    const result = parsePriceFile(bad, 'p.json');
    assert.match(
      result.ok ? '' : result.error,
      new RegExp(
        `^p\\.json:${line}:\\d+: aws\\.dynamoDbWriteUnitsPerMillion\\.usd: must be number`,
      ),
    );
  });

  it('says where a file that is not JSON breaks, and that a missing file cannot be read', async () => {
    const result = parsePriceFile('{\n  "id": "x",\n  "asOf": "2026-12-07",,\n}', 'p.json');
    assert.match(result.ok ? '' : result.error, /^p\.json:3:\d+: /);
    await assert.rejects(loadPriceFile('/nonexistent/prices.json'), (error: Error) => {
      assert.ok(error instanceof PriceFileError);
      assert.match(error.message, /cannot read the price file \(ENOENT\)/);
      return true;
    });
  });
});
