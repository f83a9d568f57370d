import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import Ajv, { type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { maskFailure } from '../errors.js';
import {
  COLUMN_NAME,
  DECISION_COLUMN,
  RubricFile,
  TREATMENTS,
  type ColumnSpec,
  type Rubric,
} from './schema.js';

const COLUMN_PATTERN = new RegExp(COLUMN_NAME);
const ajv = new Ajv.default({ strict: true, allErrors: false });
const json = (s: unknown) => JSON.parse(JSON.stringify(s)) as object;
const checkFile = ajv.compile(json(RubricFile));
const checkTreatment = new Map(
  Object.entries(TREATMENTS).map(([name, schema]) => [name, ajv.compile(json(schema))]),
);

function explain(errors: readonly ErrorObject[] | null | undefined, prefix: string): string {
  const first = errors?.[0];
  if (!first) return `${prefix} is invalid`;
  const params = first.params as Record<string, unknown>;
  const path = `${prefix}${first.instancePath.replaceAll('/', '.')}`;
  const extra =
    typeof params['additionalProperty'] === 'string' ? `: ${params['additionalProperty']}` : '';
  const allowed = Array.isArray(params['allowedValues'])
    ? ` (${(params['allowedValues'] as unknown[]).join(', ')})`
    : params['allowedValue'] !== undefined
      ? ` (${String(params['allowedValue'])})`
      : '';
  return `${path === '' ? 'the rubric' : path} ${first.message}${extra}${allowed}`;
}

/**
 * Parses and validates a rubric (YAML or JSON; JSON is YAML). Says which key is wrong and why,
 * and refuses treatments that do not belong to the column's bucket.
 */
export function parseRubric(source: string, origin = 'rubric'): Rubric {
  let doc: unknown;
  try {
    doc = parseYaml(source, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    throw maskFailure('invalid-rubric', `${origin}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!checkFile(doc))
    throw maskFailure('invalid-rubric', `${origin}: ${explain(checkFile.errors, '')}`);
  const file = doc as {
    rubric: string;
    version: number;
    description?: string;
    columns: Record<string, unknown>;
  };
  const columns = new Map<string, ColumnSpec>();
  for (const [name, spec] of Object.entries(file.columns)) {
    if (name === DECISION_COLUMN) {
      throw maskFailure(
        'invalid-rubric',
        `${origin}: '${DECISION_COLUMN}' is the decision-record column and cannot be in a rubric`,
      );
    }
    if (!COLUMN_PATTERN.test(name)) {
      throw maskFailure(
        'invalid-rubric',
        `${origin}: columns: '${name}' is not a column name (${COLUMN_NAME})`,
      );
    }
    const treatment = (spec as { treatment: string }).treatment;
    const check = checkTreatment.get(treatment);
    if (!check) {
      throw maskFailure(
        'invalid-rubric',
        `${origin}: columns.${name}.treatment '${treatment}' is not one of ${[...checkTreatment.keys()].join(', ')}`,
      );
    }
    if (!check(spec))
      throw maskFailure('invalid-rubric', `${origin}: ${explain(check.errors, `columns.${name}`)}`);
    columns.set(name, spec as ColumnSpec);
  }
  return {
    name: file.rubric,
    version: file.version,
    ...(file.description === undefined ? {} : { description: file.description }),
    columns,
    sha256: createHash('sha256').update(source).digest('hex'),
    source: origin,
  };
}

export async function loadRubric(path: string): Promise<Rubric> {
  let source: string;
  try {
    source = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw maskFailure('invalid-rubric', `cannot read rubric ${path} (${code ?? 'error'})`);
  }
  return parseRubric(source, path);
}
