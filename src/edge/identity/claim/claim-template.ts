import Ajv, { type ErrorObject } from 'ajv';
import Type, { type Static } from 'typebox';
import { LineCounter, parseDocument } from 'yaml';
import { DEVICE_CLASSES, STORE_ID_PATTERN } from '../../../contract/ids.js';

/**
 * What a claim certificate may become (decision 044): every device claiming under it gets this
 * class and store, and its serial must match `serial_pattern` when there is one. `policy` names
 * what the broker lets the claim certificate do; `claim-once` (its one request topic, its one
 * response topic, nothing else) is the only policy there is.
 */
export const ClaimTemplate = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9][a-z0-9_.-]{0,63}$' }),
    class: Type.Enum([...DEVICE_CLASSES]),
    store: Type.String({ pattern: STORE_ID_PATTERN }),
    serial_pattern: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    policy: Type.Optional(Type.Enum(['claim-once'])),
  },
  { additionalProperties: false },
);
export type ClaimTemplate = Static<typeof ClaimTemplate>;

export const CLAIM_POLICIES = ['claim-once'] as const;

const ajv = new Ajv.default({ strict: true, allErrors: false });
const validate = ajv.compile<ClaimTemplate>(JSON.parse(JSON.stringify(ClaimTemplate)) as object);

export type TemplateCheck =
  | { readonly ok: true; readonly template: ClaimTemplate }
  | { readonly ok: false; readonly path: readonly string[]; readonly message: string };

/** The schema, then what it cannot say: the serial pattern must be a regular expression. */
export function checkClaimTemplate(value: unknown): TemplateCheck {
  if (!validate(value)) return fromAjv(validate.errors?.[0]);
  if (value.serial_pattern !== undefined) {
    try {
      new RegExp(value.serial_pattern, 'u');
    } catch (error) {
      return {
        ok: false,
        path: ['serial_pattern'],
        message: `is not a regular expression (${error instanceof Error ? error.message : String(error)})`,
      };
    }
  }
  return { ok: true, template: { ...value, policy: value.policy ?? 'claim-once' } };
}

/** Whether `serial` is one this template lets claim: the whole serial must match the pattern. */
export function templateAllows(template: ClaimTemplate, serial: string): boolean {
  if (template.serial_pattern === undefined) return true;
  return new RegExp(`^(?:${template.serial_pattern})$`, 'u').test(serial);
}

/**
 * Reads a template written in YAML or JSON and says where the first problem is, as
 * `file:line:col: field: problem`, since operators write these by hand.
 */
export function readClaimTemplateFile(
  text: string,
  name: string,
  /** Fields given elsewhere (the command line), used where the file leaves them out. */
  defaults: Partial<Record<keyof ClaimTemplate, string>> = {},
): { ok: true; template: ClaimTemplate } | { ok: false; error: string } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const syntax = doc.errors[0];
  if (syntax) {
    const { line, col } = lines.linePos(syntax.pos[0]);
    return { ok: false, error: `${name}:${line}:${col}: ${syntax.message.split('\n')[0]}` };
  }
  const value = doc.toJS() as unknown;
  const filled =
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? { ...defaults, ...(value as object) }
      : value;
  const checked = checkClaimTemplate(filled);
  if (checked.ok) return checked;
  // Point at the field's key (`class:`), or at the document when the field is missing.
  const key = checked.path[0];
  const items = (doc.contents as { items?: { key?: { value?: unknown; range?: number[] } }[] })
    ?.items;
  const at = items?.find((item) => item.key?.value === key)?.key?.range?.[0] ?? 0;
  const { line, col } = lines.linePos(at);
  const field = checked.path.join('.');
  return {
    ok: false,
    error: `${name}:${line}:${col}: ${field === '' ? '' : `${field}: `}${checked.message}`,
  };
}

function fromAjv(error: ErrorObject | undefined): TemplateCheck {
  if (!error) return { ok: false, path: [], message: 'is not a claim template' };
  const path = error.instancePath.split('/').filter((p) => p !== '');
  const params = error.params as Record<string, unknown>;
  const extra = params['additionalProperty'];
  const missing = params['missingProperty'];
  if (typeof extra === 'string') {
    return {
      ok: false,
      path: [...path, extra],
      message: 'is not a template field (name, class, store, serial_pattern, policy)',
    };
  }
  if (typeof missing === 'string') {
    return { ok: false, path, message: `the field '${missing}' is required` };
  }
  const allowed = params['allowedValues'];
  return {
    ok: false,
    path,
    message: `${error.message ?? 'is not valid'}${Array.isArray(allowed) ? ` (${allowed.join(', ')})` : ''}`,
  };
}
