import assert from 'node:assert/strict';

/** One sample line of a Prometheus text exposition. */
export interface ExposedSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES = ['_bucket', '_sum', '_count', '_total', '_created'];

/**
 * Parses the text exposition format (0.0.4) strictly enough to catch what a scraper would refuse:
 * bad names, bad label escaping, unparsable values, a sample of an undeclared family, a family
 * declared twice, the same series twice. Fails the test with the offending line.
 */
export function parseExposition(text: string): ExposedSample[] {
  const types = new Map<string, string>();
  const seen = new Set<string>();
  const samples: ExposedSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
      if (!m) continue; // a plain comment
      assert.match(m[2]!, NAME, `bad metric name: ${line}`);
      if (m[1] === 'TYPE') {
        assert.ok(TYPES.has(m[3]!), `bad type: ${line}`);
        assert.ok(!types.has(m[2]!), `family declared twice: ${line}`);
        types.set(m[2]!, m[3]!);
      }
      continue;
    }
    const m = /^([^{\s]+)(\{(.*)\})? (\S+)( -?\d+)?$/.exec(line);
    assert.ok(m, `not a sample line: ${line}`);
    const name = m[1]!;
    assert.match(name, NAME, `bad metric name: ${line}`);
    const family = types.has(name)
      ? name
      : SUFFIXES.map((s) => (name.endsWith(s) ? name.slice(0, -s.length) : '')).find((f) =>
          types.has(f),
        );
    assert.ok(family, `sample of an undeclared family: ${line}`);
    const labels = parseLabels(m[3] ?? '', line);
    const value = parseValue(m[4]!, line);
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    assert.ok(!seen.has(key), `series twice: ${line}`);
    seen.add(key);
    samples.push({ name, labels, value });
  }
  return samples;
}

function parseLabels(body: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const pair = /([^=,\s]+)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/y;
  let at = 0;
  while (at < body.length) {
    pair.lastIndex = at;
    const m = pair.exec(body);
    assert.ok(m, `bad labels at ${at}: ${line}`);
    assert.match(m[1]!, LABEL, `bad label name: ${line}`);
    assert.ok(!(m[1]! in labels), `label twice: ${line}`);
    labels[m[1]!] = m[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    at = pair.lastIndex;
  }
  return labels;
}

/** As Prometheus reads a value (Go's ParseFloat): NaN and Inf in any case (prom-client writes Nan). */
function parseValue(text: string, line: string): number {
  if (/^nan$/i.test(text)) return NaN;
  const inf = /^([+-]?)inf(inity)?$/i.exec(text);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  const value = Number(text);
  assert.ok(text !== '' && !Number.isNaN(value), `bad value: ${line}`);
  return value;
}

/** The samples of one metric, optionally narrowed to those whose labels include `labels`. */
export function exposed(
  samples: readonly ExposedSample[],
  name: string,
  labels: Record<string, string> = {},
): ExposedSample[] {
  return samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
}
