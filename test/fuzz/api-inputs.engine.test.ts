import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { apiToken, platformFetch } from '../../test-support/api-client.js';
import { fleetDataDir, startTestPlatform, STORE } from '../../test-support/platform.js';

interface Parameter {
  readonly name: string;
  readonly in: string;
}
interface Operation {
  readonly parameters?: readonly Parameter[];
}

const RUNS_PER_ROUTE = 20;

/** Hostile strings: long, control characters, path tricks, numbers where text is expected. */
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', '..', '../../etc/passwd', '%00', '-1', '1e309', 'NaN', '9'.repeat(40), STORE),
);

/**
 * Every API route with arbitrary bodies, queries and path values, as ops (the role most routes
 * let through to validation and the handler): each answer is a success or a 4xx with an error
 * code and a message, never a 5xx. A 503 is allowed only with the code `unavailable` (a capability
 * this platform runs without).
 */
describe('the API under arbitrary input', () => {
  it('answers arbitrary bodies, queries and path values on every route with a 2xx or a closed 4xx', async (t) => {
    const platform = await startTestPlatform(t, await fleetDataDir(t));
    const fetch = platformFetch(platform);
    const token = await apiToken(platform, 'ops');
    const document = (await (await fetch(`${platform.apiUrl}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const failures: string[] = [];
    let requests = 0;
    for (const [template, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const queryNames = (operation.parameters ?? [])
          .filter((p) => p.in === 'query')
          .map((p) => p.name);
        const input = fc.record({
          path: fc.array(text, { minLength: 4, maxLength: 4 }),
          query: fc.dictionary(
            queryNames.length > 0 ? fc.constantFrom(...queryNames) : fc.string({ maxLength: 8 }),
            text,
            { maxKeys: 3 },
          ),
          body: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.object({ maxDepth: 2 })),
        });
        await fc.assert(
          fc.asyncProperty(input, async ({ path, query, body }) => {
            let i = 0;
            const url = `${platform.apiUrl}${template.replace(/\{[^}]+\}/g, () =>
              encodeURIComponent(path[i++ % path.length] || 'x'),
            )}?${new URLSearchParams(query).toString()}`;
            const hasBody = method !== 'get' && method !== 'delete';
            const response = await fetch(url, {
              method: method.toUpperCase(),
              headers: {
                authorization: `Bearer ${token}`,
                ...(hasBody ? { 'content-type': 'application/json' } : {}),
              },
              ...(hasBody ? { body: JSON.stringify(body) ?? 'null' } : {}),
              signal: AbortSignal.timeout(15_000),
            });
            requests++;
            if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
              await response.body?.cancel();
              return;
            }
            const answer = await response.text();
            const bad =
              response.status >= 500 &&
              !(response.status === 503 && answer.includes('"error":"unavailable"'));
            const unexplained =
              response.status >= 400 && response.status < 500 && !/"error":"[a-z-]+"/.test(answer);
            if (bad || unexplained) {
              failures.push(
                `${method.toUpperCase()} ${url} ${JSON.stringify(body)?.slice(0, 200)} → ${response.status} ${answer.slice(0, 200)}`,
              );
            }
          }),
          { numRuns: RUNS_PER_ROUTE },
        );
      }
    }
    t.diagnostic(`${requests} requests`);
    assert.deepEqual(failures.slice(0, 20), []);
  });
});
