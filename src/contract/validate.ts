import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import {
  CLOUD_DOCUMENTS,
  DEVICE_MESSAGES,
  OTHER_DOCUMENTS,
  type DeviceMessageType,
} from './catalog.js';
import type { DeviceMessage } from './messages/index.js';

/**
 * Compiled validators, one per document type, built once at import. Validation sits on the ingest
 * hot path; docs/decisions/001-schema-validation.md records why TypeBox's compiler.
 */
type Check = (value: unknown) => boolean;
type Explain = (value: unknown) => string;

interface Validator {
  readonly check: Check;
  readonly explain: Explain;
}

function compile(schema: TSchema): Validator {
  const validator = Compile(schema);
  return {
    check: (value) => validator.Check(value),
    explain: (value) => describeErrors(validator.Errors(value)),
  };
}

interface SchemaError {
  keyword: string;
  instancePath: string;
  message: string;
  params: Record<string, unknown>;
}

/** The most useful single sentence about why a value failed: path, problem, offending key. */
function describeErrors(errors: readonly SchemaError[]): string {
  // "schema is false" restates an additionalProperties failure that is reported with its key.
  const useful = errors.filter((e) => !(e.keyword === 'boolean' && errors.length > 1));
  const first = useful[0];
  if (!first) return 'does not match the schema';
  const path = first.instancePath === '' ? '(root)' : first.instancePath;
  const extra = first.params['additionalProperties'];
  const allowed = first.params['allowedValues'];
  const suffix = Array.isArray(extra)
    ? `: ${extra.join(', ')}`
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

/** The schema pattern admits 2026-02-30; a real instant round-trips through Date. */
export function isRealInstant(ts: string): boolean {
  const ms = Date.parse(ts);
  return Number.isFinite(ms) && new Date(ms).toISOString() === ts;
}
