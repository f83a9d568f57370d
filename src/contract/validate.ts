import Ajv, { type ErrorObject } from 'ajv';
import type { TSchema } from 'typebox';
import {
  CLOUD_DOCUMENTS,
  DEVICE_MESSAGES,
  OTHER_DOCUMENTS,
  type DeviceMessageType,
} from './catalog.js';
import type { DeviceMessage } from './messages/index.js';

/**
 * Compiled validators, one per document type, built once at import. The schemas are written with
 * TypeBox (one source for types and JSON Schema) and compiled by Ajv, which measured faster on
 * these schemas: docs/decisions/001-schema-validation.md.
 */
type Check = (value: unknown) => boolean;
type Explain = (value: unknown) => string;

interface Validator {
  readonly check: Check;
  readonly explain: Explain;
}

// allErrors stays off: the first error is enough for the device, and stopping there is faster.
const ajv = new Ajv.default({ strict: true, allErrors: false });

function compile(schema: TSchema): Validator {
  // A plain JSON copy: the compiled validator depends on nothing but standard JSON Schema.
  const json = JSON.parse(JSON.stringify(schema)) as JsonSchema;
  const validate = ajv.compile(json);
  const explainUnion = discriminatedUnion(json);
  return {
    check: (value) => validate(value),
    explain: (value) =>
      validate(value) ? 'valid' : (explainUnion?.(value) ?? describeErrors(validate.errors ?? [])),
  };
}

interface JsonSchema {
  anyOf?: { properties?: Record<string, { const?: unknown }> }[];
}

/**
 * For a union whose branches differ by one constant field (identify's `method`), explain a
 * failure against the branch the value chose, or name the allowed values when it chose none.
 */
function discriminatedUnion(schema: JsonSchema): ((value: unknown) => string) | undefined {
  const branches = schema.anyOf;
  if (!branches || branches.length < 2) return undefined;
  const first = branches[0]?.properties ?? {};
  const key = Object.keys(first).find(
    (k) =>
      branches.every((b) => b.properties?.[k]?.const !== undefined) &&
      new Set(branches.map((b) => b.properties![k]!.const)).size === branches.length,
  );
  if (!key) return undefined;
  const byValue = new Map(branches.map((b) => [b.properties![key]!.const, ajv.compile(b)]));
  return (value) => {
    const chosen = (value as Record<string, unknown> | null)?.[key];
    const branch = byValue.get(chosen);
    if (!branch) return `/${key} must be one of: ${[...byValue.keys()].join(', ')}`;
    branch(value);
    return describeErrors(branch.errors ?? []);
  };
}

/** The most useful single sentence about why a value failed: path, problem, offending key. */
function describeErrors(errors: readonly ErrorObject[]): string {
  const first = errors[0];
  if (!first) return 'does not match the schema';
  const path = first.instancePath === '' ? '(root)' : first.instancePath;
  const params = first.params as Record<string, unknown>;
  const extra = params['additionalProperty'];
  const allowed = params['allowedValues'];
  const suffix =
    typeof extra === 'string'
      ? `: ${extra}`
      : Array.isArray(allowed)
        ? ` (${allowed.join(', ')})`
        : '';
  return `${path} ${first.message}${suffix}`;
}

const deviceValidators = new Map<string, Validator>(
  Object.entries(DEVICE_MESSAGES).map(([type, spec]) => [type, compile(spec.schema)]),
);
const documentValidators = new Map<string, Validator>(
  Object.entries({ ...CLOUD_DOCUMENTS, ...OTHER_DOCUMENTS }).map(([type, s]) => [type, compile(s)]),
);

export type Validation<T> = { ok: true; value: T } | { ok: false; detail: string };

/** Validates a parsed device message of the given type. The caller has checked the type exists. */
export function validateDeviceMessage(
  type: DeviceMessageType,
  value: unknown,
): Validation<DeviceMessage> {
  const validator = deviceValidators.get(type)!;
  if (validator.check(value)) {
    const ts = (value as { ts: string }).ts;
    if (!isRealInstant(ts)) return { ok: false, detail: `/ts is not a real UTC instant: ${ts}` };
    return { ok: true, value: value as DeviceMessage };
  }
  return { ok: false, detail: validator.explain(value) };
}

/** Validates a cloud-to-device document or another contract document by its type name. */
export function validateDocument<T>(
  type: keyof typeof CLOUD_DOCUMENTS | keyof typeof OTHER_DOCUMENTS,
  value: unknown,
): Validation<T> {
  const validator = documentValidators.get(type)!;
  return validator.check(value)
    ? { ok: true, value: value as T }
    : { ok: false, detail: validator.explain(value) };
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The schema pattern admits 2026-02-30T25:61:00.000Z; this checks the fields are a real UTC
 * instant. Digit arithmetic rather than a Date round trip: it runs on every message.
 */
export function isRealInstant(ts: string): boolean {
  const year = digits(ts, 0, 4);
  const month = digits(ts, 5, 2);
  const day = digits(ts, 8, 2);
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return false;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) {
    return false;
  }
  return digits(ts, 11, 2) <= 23 && digits(ts, 14, 2) <= 59 && digits(ts, 17, 2) <= 59;
}

function digits(text: string, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i++) value = value * 10 + (text.charCodeAt(i) - 48);
  return value;
}
