import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { apiToken, platformFetch } from '../../test-support/api-client.js';
import { fleetDataDir, runCli, startTestPlatform, STORE } from '../../test-support/platform.js';

/**
 * Elevation of privilege: every route of the OpenAPI document called as every kind of caller.
 * Without a token each secured route must refuse; with one, who gets through is compared with
 * route-roles.json, so a route whose roles change fails here until the table is changed in the
 * same commit, where review sees it. Regenerate with UPDATE_ROUTE_ROLES=1.
 */
const TABLE = new URL('./route-roles.json', import.meta.url);
const OTHER_STORE = 'hamburg-2';
const UUID = '00000000-0000-4000-8000-000000000000';

type Outcome = 'refused' | 'invalid' | 'absent' | 'reached';
type Caller = 'anonymous' | 'ops' | 'staff' | 'staff-other-store' | 'customer' | 'privacy';
const CALLERS: readonly Caller[] = [
  ...['anonymous', 'ops', 'staff', 'staff-other-store'],
  ...['customer', 'privacy'],
] as Caller[];

interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly schema?: {
    readonly enum?: readonly string[];
    readonly pattern?: string;
    readonly type?: string;
  };
}
interface Operation {
  readonly parameters?: readonly Parameter[];
  readonly security?: readonly unknown[];
}

/** A value for a path parameter that its schema accepts, naming this test's store and a cart. */
function sample(p: Parameter): string {
  if (p.schema?.enum?.length) return p.schema.enum[0]!;
  // A number in the path (a feed position): one the schema takes, so the role check is reached.
  if (p.schema?.type === 'integer') return '1';
  if (/store/i.test(p.name)) return STORE;
  if (p.schema?.pattern?.includes('[0-9a-f]{8}') || /uuid/i.test(p.schema?.pattern ?? ''))
    return UUID;
  if (/device|cart|serial/i.test(p.name)) return 'CART-0001';
  return UUID;
}

function outcome(status: number): Outcome {
  if (status === 401 || status === 403) return 'refused';
  // Fastify validates before the handler checks the role: a 400 says nothing about the role.
  if (status === 400 || status === 415) return 'invalid';
  // What a caller may not see is often answered as absent rather than forbidden.
  if (status === 404) return 'absent';
  return 'reached';
}

describe('every route, called by every kind of caller', () => {
  it('refuses anonymous callers on every secured route and lets through exactly the roles in route-roles.json', async (t) => {
    const data = await fleetDataDir(t);
    await runCli(...['store', 'add', '--data', data, '--id', OTHER_STORE, '--name', 'Hamburg 2']);
    const platform = await startTestPlatform(t, data);
    const fetch = platformFetch(platform);
    const document = (await (await fetch(`${platform.apiUrl}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const tokens: Record<Caller, string | undefined> = {
      anonymous: undefined,
      ops: await apiToken(platform, 'ops'),
      staff: await apiToken(platform, 'staff', STORE),
      'staff-other-store': await apiToken(platform, 'staff', OTHER_STORE),
      customer: await apiToken(platform, 'customer', STORE),
      privacy: await apiToken(platform, 'privacy'),
    };

    const table: Record<string, Record<Caller, Outcome>> = {};
    const openToAnyone: string[] = [];
    for (const [template, methods] of Object.entries(document.paths).sort()) {
      for (const [method, operation] of Object.entries(methods)) {
        const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
          const p = operation.parameters?.find((q) => q.in === 'path' && q.name === name);
          return encodeURIComponent(sample(p ?? { name, in: 'path' }));
        });
        const row = {} as Record<Caller, Outcome>;
        for (const caller of CALLERS) {
          const token = tokens[caller];
          const response = await fetch(`${platform.apiUrl}${path}`, {
            method: method.toUpperCase(),
            signal: AbortSignal.timeout(15_000),
            headers: {
              ...(token ? { authorization: `Bearer ${token}` } : {}),
              ...(method === 'get' || method === 'delete'
                ? {}
                : { 'content-type': 'application/json' }),
            },
            ...(method === 'get' || method === 'delete' ? {} : { body: '{}' }),
          });
          // A live stream never ends: its status is all this needs.
          if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
            await response.body?.cancel();
          } else await response.arrayBuffer();
          row[caller] = outcome(response.status);
        }
        const key = `${method.toUpperCase()} ${template}`;
        table[key] = row;
        if (operation.security?.length && row.anonymous !== 'refused') openToAnyone.push(key);
      }
    }
    assert.deepEqual(openToAnyone, [], 'secured routes that answered without a token');
    assert.ok(Object.keys(table).length >= 60, `only ${Object.keys(table).length} routes walked`);

    if (process.env['UPDATE_ROUTE_ROLES'] === '1') {
      writeFileSync(TABLE, `${JSON.stringify(table, null, 2)}\n`);
      t.diagnostic(`wrote ${TABLE.pathname}`);
      return;
    }
    assert.ok(existsSync(TABLE), 'route-roles.json is missing: run with UPDATE_ROUTE_ROLES=1');
    const expected = JSON.parse(readFileSync(TABLE, 'utf8')) as typeof table;
    const changed = [...new Set([...Object.keys(expected), ...Object.keys(table)])]
      .filter((k) => JSON.stringify(expected[k]) !== JSON.stringify(table[k]))
      .map((k) => `${k}: expected ${JSON.stringify(expected[k])}, got ${JSON.stringify(table[k])}`);
    assert.deepEqual(
      changed,
      [],
      'routes whose callers changed (review, then UPDATE_ROUTE_ROLES=1)',
    );
  });
});
