// What the ops console's browser stories do on a page beside clicking: check it is accessible,
// wait for what a person would see (with a deadline, as an expectation), call the API the way the
// page's own session would, and read the virtual authenticator.
import assert from 'node:assert/strict';
import type { CDPSession, Locator, Page } from 'playwright-core';
import { describeViolations, seriousAccessibilityViolations } from './browser.js';

/** The promise for live updates: an open page shows an event within 2 s. */
export const LIVE_MS = 2000;

/**
 * For what is not the promise under test but the page getting there (the live stream opening after
 * a page load): on a two-core machine running the whole suite that has taken over 2 s.
 */
export const SETTLE_MS = 15_000;

/**
 * Zero serious or critical axe violations on the page as it is now, and nothing wider than the
 * window (content reflows instead of scrolling the page sideways; wide tables scroll in a box).
 */
export async function assertAccessible(page: Page, what: string): Promise<void> {
  const violations = await seriousAccessibilityViolations(page);
  assert.equal(violations.length, 0, `${what}:\n${describeViolations(violations)}`);
  // A string: the root project has no DOM types, the page has the DOM.
  const width = (await page.evaluate(
    '({ page: document.documentElement.scrollWidth, window: document.documentElement.clientWidth })',
  )) as { page: number; window: number };
  assert.ok(
    width.page <= width.window,
    `${what}: ${width.page} px wide in a ${width.window} px window`,
  );
}

/** Waits until the locator is visible, failing after `ms` with what was expected. */
export async function see(locator: Locator, what: string, ms = LIVE_MS): Promise<void> {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: ms });
  } catch {
    assert.fail(`not seen within ${ms} ms: ${what}`);
  }
}

/** Waits until the locator's text matches, failing after `ms` with what it showed instead. */
export async function seeText(
  locator: Locator,
  text: RegExp,
  what: string,
  ms = LIVE_MS,
): Promise<void> {
  const deadline = Date.now() + ms;
  let shown: string | null = null;
  for (;;) {
    shown = await locator
      .textContent({ timeout: Math.max(1, deadline - Date.now()) })
      .catch(() => null);
    if (shown !== null && text.test(shown)) return;
    if (Date.now() > deadline) assert.fail(`${what}: within ${ms} ms the page showed ${shown}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The figure called `name` in a list of figures (`dl > div > dt + dd`) within `scope`. */
export function figure(scope: Locator, name: string): Locator {
  const exact = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return scope
    .locator('dl > div', { has: scope.page().locator('dt', { hasText: exact }) })
    .locator('dd');
}

/**
 * Opens a view of the ops console by its tab, as a person would. The whole label: "Fleet" is
 * also the start of "Fleet diff", and "Device" is inside "Top error devices".
 */
export async function openTab(page: Page, name: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Ops console views' })
    .getByRole('link', { name, exact: true })
    .click();
}

/**
 * A request with the page's own session cookie and CSRF token, but none of the page's code: what
 * a script riding on a signed-in browser could send, without the step-up the page would run.
 */
export async function asPageSession(
  page: Page,
  method: 'POST' | 'DELETE',
  path: string,
  body: unknown = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const origin = new URL(page.url()).origin;
  const request = page.context().request;
  const session = await request.get(`${origin}/v1/auth/session`);
  assert.equal(session.status(), 200, 'the page is signed in');
  const csrf = String(((await session.json()) as Record<string, unknown>)['csrfToken']);
  const answer = await request.fetch(`${origin}${path}`, {
    method,
    headers: { 'x-csrf-token': csrf, 'content-type': 'application/json' },
    data: JSON.stringify(body),
  });
  return { status: answer.status(), body: (await answer.json()) as Record<string, unknown> };
}

/** How many assertions the virtual authenticator has signed (its passkey's signature counter). */
export async function assertionsSigned(authenticator: {
  readonly cdp: CDPSession;
  readonly authenticatorId: string;
}): Promise<number> {
  const { credentials } = await authenticator.cdp.send('WebAuthn.getCredentials', {
    authenticatorId: authenticator.authenticatorId,
  });
  assert.equal(credentials.length, 1, 'one passkey on the authenticator');
  return credentials[0]!.signCount;
}
