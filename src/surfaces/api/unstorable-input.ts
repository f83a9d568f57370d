import type { FastifyInstance } from 'fastify';
import { badRequest } from './api-errors.js';

/** What no route can store or act on, whatever its schema says (found by test/fuzz). */
function problem(value: unknown, depth: number): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : 'a non-finite number';
  // PostgreSQL and PGlite text cannot hold U+0000; it answered 500 from deep in a store.
  if (typeof value === 'string') return value.includes('\u0000') ? 'a NUL character' : undefined;
  // Bytes (a firmware image) are the route's to judge, and walking them would cost a call a byte.
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value) || depth > 32) {
    return undefined;
  }
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes('\u0000')) return 'a NUL character';
    const found = problem(inner, depth + 1);
    if (found) return found.includes(' in ') ? found : `${found} in ${key}`;
  }
  return undefined;
}

/**
 * Checked once here, after validation, for every route: Ajv's type coercion turns a query value
 * such as `1e309` into Infinity, which then passes an integer schema with a maximum and reached
 * SQL as a LIMIT; a NUL in a path, query or body string passes any schema without a pattern and
 * fails in the store. Both answered 500; now 400 with the part named.
 */
export function refuseUnstorableInput(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    for (const [part, values] of [
      ['querystring', request.query],
      ['params', request.params],
      ['body', request.body],
    ] as const) {
      const found = problem(values, 0);
      if (found) throw badRequest(`${part} holds ${found}`);
    }
  });
}
