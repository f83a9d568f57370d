// What the console's browser stories check on a page, beside driving it (page-waits.ts has the
// live deadlines): that a view has no serious accessibility findings, and the API as the page's
// own cookie session reaches it (for refusals the page never asks for).
import assert from 'node:assert/strict';
import type { APIResponse, Page } from 'playwright-core';
import { describeViolations, seriousAccessibilityViolations } from './browser.js';

/** axe-core on the view as it stands: no serious or critical violation. */
export async function assertAccessible(page: Page, view: string): Promise<void> {
  const violations = await seriousAccessibilityViolations(page);
  assert.equal(violations.length, 0, `${view}:\n${describeViolations(violations)}`);
}

export interface PageSessionApi {
  readonly origin: string;
  /** The session's CSRF token, as the page reads it from GET /v1/auth/session. */
  readonly csrfToken: string;
  /** The person the session is for (`person:<id>` in audit records). */
  readonly personId: string;
  /** The session cookie as a request header (`name=value`), for clients outside the browser. */
  readonly cookie: string;
  get(path: string): Promise<{ status: number; body: Record<string, unknown> }>;
  send(
    method: 'POST' | 'PUT',
    path: string,
    body: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
}

/**
 * The API with the browser's own cookie session (Playwright's request context shares the
 * page's cookie jar), as a script in the page could call it; unsafe methods carry the CSRF token.
 */
export async function pageSessionApi(page: Page): Promise<PageSessionApi> {
  const origin = new URL(page.url()).origin;
  const read = async (response: APIResponse) => {
    const text = await response.text();
    return {
      status: response.status(),
      body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
    };
  };
  const session = await read(await page.request.get(`${origin}/v1/auth/session`));
  assert.equal(session.status, 200, JSON.stringify(session.body));
  const csrfToken = String(session.body['csrfToken']);
  const personId = String(session.body['personId']);
  const cookies = await page.context().cookies(origin);
  const jar = cookies.find((c) => c.name === 'fp_session' || c.name === '__Host-fp_session');
  assert.ok(jar, `a session cookie among ${cookies.map((c) => c.name).join(', ')}`);
  return {
    origin,
    csrfToken,
    personId,
    cookie: `${jar.name}=${jar.value}`,
    get: async (path) => read(await page.request.get(`${origin}${path}`)),
    send: async (method, path, body) =>
      read(
        await page.request.fetch(`${origin}${path}`, {
          method,
          headers: { 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
          data: JSON.stringify(body),
        }),
      ),
  };
}
