/**
 * The OpenAPI document (GET /openapi.json) as the reference page lists it: operations grouped by
 * tag, with a search over method, path, summary, description and tag. Pure, so it is tested
 * without a browser.
 */
export type Schema = Record<string, unknown>;

export interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly required: boolean;
  readonly description: string | null;
  readonly schema: Schema | null;
}

export interface Operation {
  readonly id: string;
  readonly method: string;
  readonly path: string;
  readonly tag: string;
  readonly summary: string;
  readonly description: string | null;
  readonly parameters: Parameter[];
  readonly requestBody: {
    readonly contentType: string;
    readonly schema: Schema | null;
    readonly description: string | null;
  } | null;
  readonly responses: {
    readonly status: string;
    readonly description: string | null;
    readonly schema: Schema | null;
  }[];
  readonly secured: boolean;
}

export interface TagGroup {
  readonly tag: string;
  readonly description: string | null;
  readonly operations: Operation[];
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];

type Doc = Record<string, unknown>;

function obj(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Follows a local `$ref` (`#/components/...`); anything else is returned as it is. */
export function resolve(doc: Doc, value: unknown, seen = new Set<string>()): Schema | null {
  const node = obj(value);
  const ref = str(node['$ref']);
  if (!ref) return Object.keys(node).length > 0 || typeof value === 'object' ? node : null;
  if (!ref.startsWith('#/') || seen.has(ref)) return { ...node, unresolved: ref };
  seen.add(ref);
  let target: unknown = doc;
  for (const part of ref.slice(2).split('/'))
    target = obj(target)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return resolve(doc, target, seen);
}

function firstContent(
  doc: Doc,
  content: unknown,
): { contentType: string; schema: Schema | null } | null {
  const entries = Object.entries(obj(content));
  const [type, media] = entries.find(([t]) => t.includes('json')) ?? entries[0] ?? [];
  if (!type) return null;
  return { contentType: type, schema: resolve(doc, obj(media)['schema']) };
}

export function operationsOf(doc: Doc): Operation[] {
  const operations: Operation[] = [];
  const globalSecurity = Array.isArray(doc['security']) && doc['security'].length > 0;
  for (const [route, rawItem] of Object.entries(obj(doc['paths']))) {
    const item = obj(resolve(doc, rawItem));
    const shared = Array.isArray(item['parameters']) ? item['parameters'] : [];
    for (const method of METHODS) {
      const op = obj(item[method]);
      if (Object.keys(op).length === 0) continue;
      const params = [...shared, ...(Array.isArray(op['parameters']) ? op['parameters'] : [])].map(
        (p) => obj(resolve(doc, p)),
      );
      const body = obj(resolve(doc, op['requestBody']));
      const content = firstContent(doc, body['content']);
      const tags =
        Array.isArray(op['tags']) && op['tags'].length > 0 ? op['tags'].map(String) : ['other'];
      const security = Array.isArray(op['security']) ? op['security'].length > 0 : globalSecurity;
      for (const tag of tags) {
        operations.push({
          id: `${tag}-${method}-${route}`.replace(/[^A-Za-z0-9_-]+/g, '-'),
          method: method.toUpperCase(),
          path: route,
          tag,
          summary: str(op['summary']) ?? `${method.toUpperCase()} ${route}`,
          description: str(op['description']),
          parameters: params.map((p) => ({
            name: String(p['name'] ?? ''),
            in: String(p['in'] ?? ''),
            required: p['required'] === true,
            description: str(p['description']),
            schema: resolve(doc, p['schema']),
          })),
          requestBody: content ? { ...content, description: str(body['description']) } : null,
          responses: Object.entries(obj(op['responses'])).map(([status, raw]) => {
            const response = obj(resolve(doc, raw));
            return {
              status,
              description: str(response['description']),
              schema: firstContent(doc, response['content'])?.schema ?? null,
            };
          }),
          secured: security,
        });
      }
    }
  }
  return operations;
}

/** Operations by tag: tags in the document's order, then the rest alphabetically. */
export function groupByTag(doc: Doc, operations: Operation[]): TagGroup[] {
  const declared = (Array.isArray(doc['tags']) ? doc['tags'] : []).map(obj);
  const order = declared.map((t) => String(t['name']));
  const described = new Map(declared.map((t) => [String(t['name']), str(t['description'])]));
  const tags = [...new Set(operations.map((o) => o.tag))].sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    if (ia !== -1 || ib !== -1) return (ia === -1 ? Infinity : ia) - (ib === -1 ? Infinity : ib);
    return a.localeCompare(b);
  });
  return tags.map((tag) => ({
    tag,
    description: described.get(tag) ?? null,
    operations: operations
      .filter((o) => o.tag === tag)
      .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method)),
  }));
}

/** Every word of the query must appear in the method, path, summary, description or tag. */
export function search(groups: TagGroup[], query: string): TagGroup[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return groups;
  return groups
    .map((g) => ({
      ...g,
      operations: g.operations.filter((o) => {
        const text =
          `${o.method} ${o.path} ${o.summary} ${o.description ?? ''} ${o.tag}`.toLowerCase();
        return words.every((w) => text.includes(w));
      }),
    }))
    .filter((g) => g.operations.length > 0);
}

/** A schema's type in a few words: "string", "integer | null", "array of object", "enum". */
export function typeLabel(schema: Schema | null): string {
  if (!schema) return 'any';
  if (typeof schema['unresolved'] === 'string') return String(schema['unresolved']);
  const type = schema['type'];
  const types = Array.isArray(type) ? type.map(String) : typeof type === 'string' ? [type] : [];
  if (types.length === 0) {
    for (const key of ['oneOf', 'anyOf', 'allOf']) if (Array.isArray(schema[key])) return key;
    if (schema['enum']) return 'enum';
    if (schema['const'] !== undefined) return `const ${JSON.stringify(schema['const'])}`;
    return schema['properties'] ? 'object' : 'any';
  }
  return types
    .map((t) => {
      if (t !== 'array') return t;
      const items = obj(schema['items']);
      const inner = items['type'];
      return `array of ${Array.isArray(inner) ? inner.join(' | ') : typeof inner === 'string' ? inner : 'items'}`;
    })
    .join(' | ');
}
