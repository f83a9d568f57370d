// Checks an OpenAPI 3.1 document the way client generators and renderers will read it.
import { compileErrors, validate } from '@readme/openapi-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';

/**
 * What is wrong with `document`, empty when nothing is. Two passes:
 * - @readme/openapi-parser validates the document against the OpenAPI schema of the version it
 *   declares (structure, parameters, references);
 * - every Schema Object is compiled as JSON Schema 2020-12 (the 3.1 dialect) with unknown
 *   keywords refused. The OpenAPI schema does not look inside Schema Objects, so without this a
 *   route could publish `exclusiveMinimum: true` or 3.0's `nullable` and still pass.
 */
export async function openApiProblems(document: unknown): Promise<string[]> {
  const result = await validate(structuredClone(document) as Parameters<typeof validate>[0]);
  const problems = result.valid ? [] : [compileErrors(result)];
  return [...problems, ...schemaObjectProblems(document)];
}

/** The Schema Object keywords OpenAPI 3.1 adds to JSON Schema 2020-12. */
const OPENAPI_KEYWORDS = ['discriminator', 'xml', 'externalDocs', 'example'];
const COMPONENT_REF = '#/components/schemas/';

function schemaObjectProblems(document: unknown): string[] {
  const ajv = new Ajv2020({
    strictSchema: true,
    strictTypes: false,
    strictTuples: false,
    allowUnionTypes: true,
    validateFormats: false,
    allErrors: true,
  });
  ajv.addVocabulary(OPENAPI_KEYWORDS);
  // Ajv understands OpenAPI 3.0's `nullable`; 3.1 has no such keyword (a type array says null).
  ajv.removeKeyword('nullable');
  const problems: string[] = [];
  const components = (document as { components?: { schemas?: Record<string, unknown> } }).components
    ?.schemas;
  for (const [name, schema] of Object.entries(components ?? {})) {
    // Components first, so that a $ref from a route's schema finds them.
    ajv.addSchema(withComponentRefs(schema) as object, `urn:component:${name}`);
  }
  const check = (schema: unknown, where: string) => {
    try {
      ajv.compile(withComponentRefs(schema) as object);
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message}`);
    }
  };
  for (const name of Object.keys(components ?? {})) check({ $ref: `urn:component:${name}` }, name);
  walk(document, '#', (schema, where) => check(schema, where));
  return problems;
}

/** Calls `found` for every `schema` member outside components.schemas, without looking inside. */
function walk(node: unknown, where: string, found: (schema: unknown, where: string) => void) {
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    const at = `${where}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (at === '#/components/schemas') continue;
    if (key === 'schema' && typeof value === 'object' && value !== null) found(value, at);
    else walk(value, at, found);
  }
}

function withComponentRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withComponentRefs);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) =>
      key === '$ref' && typeof value === 'string' && value.startsWith(COMPONENT_REF)
        ? [key, `urn:component:${value.slice(COMPONENT_REF.length)}`]
        : [key, withComponentRefs(value)],
    ),
  );
}
