import { detect, redact, type EntityType, type Finding } from './detect/index.js';
import { maskFailure } from './errors.js';
import {
  isBin,
  isTruncated,
  onGrid,
  parseNumber,
  toBin,
  gridOf,
  truncateTime,
} from './generalize.js';
import { BoundedCache, makeHasher, normalize } from './identifiers.js';
import type { ColumnSpec } from './rubric/index.js';

/** What a column's treatment needs from the job: keys, the token store, the findings log. */
export interface TreatmentContext {
  readonly salt: Buffer;
  readonly tokenize: (value: string) => string;
  /** Called for every token issued; may return a promise when the store's buffer is full. */
  readonly onToken: (token: string, value: string) => Promise<void> | undefined;
  readonly onFinding: (row: number, column: string, finding: Finding) => Promise<void> | undefined;
}

export interface Where {
  readonly origin: string;
  readonly line: number;
  readonly index: number;
}

/** Applies one column's treatment to one value; `wait` collects back-pressure promises. */
export type Apply = (value: unknown, where: Where, wait: Promise<void>[]) => unknown;

const isEmpty = (v: unknown) => v === null || v === undefined || v === '';

function unprocessable(column: string, where: Where, why: string): never {
  // Never echo the value: it is the personal data this job exists to keep out of logs.
  throw maskFailure(
    'unprocessable-value',
    `${where.origin} line ${where.line}: column '${column}': ${why}`,
  );
}

function asText(column: string, value: unknown, where: Where): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return unprocessable(
    column,
    where,
    `a ${Array.isArray(value) ? 'list' : typeof value} cannot be masked as text`,
  );
}

function asNumber(column: string, value: unknown, where: Where): number {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' ? parseNumber(value) : undefined;
  if (n === undefined || !Number.isFinite(n))
    unprocessable(column, where, 'the value is not a number');
  return n;
}

/** The function that masks one column, built once per job from the rubric. */
export function treatment(column: string, spec: ColumnSpec, ctx: TreatmentContext): Apply {
  switch (spec.treatment) {
    case 'hmac': {
      const cache = new BoundedCache<string>();
      const digestOf = makeHasher(ctx.salt);
      return (value, where) => {
        if (isEmpty(value)) return value;
        const text = normalize(asText(column, value, where), spec.normalize);
        let digest = cache.get(text);
        if (digest === undefined) cache.set(text, (digest = digestOf(text)));
        return digest;
      };
    }
    case 'token': {
      const cache = new BoundedCache<string>();
      return (value, where, wait) => {
        if (isEmpty(value)) return value;
        const text = normalize(asText(column, value, where), spec.normalize);
        let token = cache.get(text);
        if (token === undefined) {
          cache.set(text, (token = ctx.tokenize(text)));
          const pending = ctx.onToken(token, text);
          if (pending) wait.push(pending);
        }
        return token;
      };
    }
    case 'grid':
    case 'round': {
      const grid = gridOf(spec.step);
      // A number stays a number (JSON Lines); text stays text (CSV).
      return (value, where) => {
        if (isEmpty(value)) return value;
        const snapped = grid(asNumber(column, value, where));
        return typeof value === 'number' ? Number(snapped) : snapped;
      };
    }
    case 'bin':
      return (value, where) =>
        isEmpty(value) ? value : toBin(asNumber(column, value, where), spec.width);
    case 'truncate-time':
      return (value, where) => {
        if (isEmpty(value)) return value;
        return (
          truncateTime(asText(column, value, where), spec.unit) ??
          unprocessable(column, where, 'the value is not an ISO 8601 timestamp')
        );
      };
    case 'prefix':
      return (value, where) =>
        isEmpty(value) ? value : asText(column, value, where).slice(0, spec.length);
    case 'keep':
      return (value) => value;
    case 'redact': {
      const max = spec.max_length ?? 100_000;
      return (value, where, wait) => {
        if (isEmpty(value)) return value;
        // A free-text column holding something that is not text fails closed.
        if (typeof value !== 'string')
          unprocessable(column, where, `free text must be a string, not ${typeof value}`);
        if (value.length > max)
          unprocessable(column, where, `free text longer than ${max} characters`);
        const findings = detect(value);
        for (const f of findings) {
          const pending = ctx.onFinding(where.index, column, f);
          if (pending) wait.push(pending);
        }
        return redact(value, findings);
      };
    }
    case 'drop':
      return () => undefined;
  }
}

/** The invariant verify checks for a masked value of this column; a kind of drift, or undefined. */
export type Check = (value: unknown) => string | undefined;

export function invariant(
  spec: ColumnSpec,
  digestShape: RegExp,
  tokenCheck: (v: string) => string | undefined,
): Check {
  const text = (v: unknown) => (typeof v === 'string' ? v : String(v));
  switch (spec.treatment) {
    case 'hmac':
      return (v) => {
        if (isEmpty(v)) return undefined;
        const s = text(v);
        if (digestShape.test(s)) return undefined;
        return /^[0-9a-f]+$/i.test(s) && s.length >= 16 ? 'malformed-digest' : 'raw-value';
      };
    case 'token':
      return (v) => (isEmpty(v) ? undefined : tokenCheck(text(v)));
    case 'grid':
    case 'round':
      return (v) => (isEmpty(v) || onGrid(text(v), spec.step) ? undefined : 'off-grid');
    case 'bin':
      return (v) => (isEmpty(v) || isBin(text(v), spec.width) ? undefined : 'off-bin');
    case 'truncate-time':
      return (v) => (isEmpty(v) || isTruncated(text(v), spec.unit) ? undefined : 'not-truncated');
    case 'prefix':
      return (v) => (isEmpty(v) || text(v).length <= spec.length ? undefined : 'not-truncated');
    case 'keep':
      // Numbers (most kept columns) cannot hold these shapes: skip the detector for them.
      return (v) =>
        !/^-?\d+(\.\d+)?$/.test(String(v)) &&
        typeof v === 'string' &&
        v !== '' &&
        detect(v, KEPT_LEAKS).length > 0
          ? 'pii-in-kept-column'
          : undefined;
    case 'redact':
      return (v) =>
        typeof v === 'string' && v !== '' && detect(v).length > 0 ? 'pii-in-free-text' : undefined;
    case 'drop':
      return () => 'dropped-column-present';
  }
}

// Behavioral columns are numbers and codes; only the unmistakable shapes are looked for there,
// so a kept column that starts carrying emails or card numbers turns the build red.
const KEPT_LEAKS: ReadonlySet<EntityType> = new Set(['EMAIL', 'CARD', 'GOV_ID', 'IP']);
