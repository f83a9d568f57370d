import type { Schema } from './openapi.js';
import { typeLabel } from './openapi.js';

const MAX_DEPTH = 6;

function obj(value: unknown): Schema {
  return typeof value === 'object' && value !== null ? (value as Schema) : {};
}

/** A JSON schema as nested lists: each property with its type, whether it is required, and its words. */
export function SchemaView({
  schema,
  compact,
  depth = 0,
}: {
  schema: Schema | null;
  compact?: boolean;
  depth?: number;
}) {
  if (!schema) return <span class="muted">any</span>;
  const constraints = describe(schema);
  const label = (
    <>
      <code>{typeLabel(schema)}</code>
      {constraints ? <span class="small muted"> {constraints}</span> : null}
    </>
  );
  if (compact) return label;
  const properties = Object.entries(obj(schema['properties']));
  const required = new Set(Array.isArray(schema['required']) ? schema['required'].map(String) : []);
  const items = schema['items'] ? obj(schema['items']) : null;
  const variants = (['oneOf', 'anyOf', 'allOf'] as const).flatMap((k) =>
    Array.isArray(schema[k]) ? (schema[k] as unknown[]).map(obj) : [],
  );
  return (
    <div class="schema">
      {depth === 0 ? <p>{label}</p> : null}
      {typeof schema['description'] === 'string' && depth === 0 ? (
        <p class="small">{schema['description']}</p>
      ) : null}
      {depth >= MAX_DEPTH ? null : (
        <>
          {properties.length > 0 ? (
            <ul class="plain">
              {properties.map(([name, raw]) => {
                const child = obj(raw);
                return (
                  <li key={name}>
                    <code>{name}</code>
                    {required.has(name) ? <strong class="small"> required</strong> : null}{' '}
                    <code class="muted">{typeLabel(child)}</code>
                    {describe(child) ? <span class="small muted"> {describe(child)}</span> : null}
                    {typeof child['description'] === 'string' ? (
                      <span class="small"> — {child['description']}</span>
                    ) : null}
                    {child['properties'] || obj(child['items'])['properties'] ? (
                      <SchemaView schema={child} depth={depth + 1} />
                    ) : null}
                  </li>
                );
              })}
            </ul>
          ) : null}
          {items && items['properties'] ? <SchemaView schema={items} depth={depth + 1} /> : null}
          {variants.map((v, i) => (
            <SchemaView key={i} schema={v} depth={depth + 1} />
          ))}
        </>
      )}
    </div>
  );
}

function describe(schema: Schema): string {
  const parts: string[] = [];
  if (Array.isArray(schema['enum']))
    parts.push(`one of ${schema['enum'].map((v) => JSON.stringify(v)).join(', ')}`);
  if (typeof schema['pattern'] === 'string') parts.push(`pattern ${schema['pattern']}`);
  if (typeof schema['format'] === 'string') parts.push(`format ${schema['format']}`);
  for (const key of [
    'minimum',
    'exclusiveMinimum',
    'maximum',
    'exclusiveMaximum',
    'minLength',
    'maxLength',
    'maxItems',
  ]) {
    if (typeof schema[key] === 'number') parts.push(`${key} ${schema[key]}`);
  }
  if (schema['default'] !== undefined) parts.push(`default ${JSON.stringify(schema['default'])}`);
  return parts.join('; ');
}
