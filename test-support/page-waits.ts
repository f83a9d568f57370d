// Waiting for what a page shows, the way an expect-style assertion polls: for live updates the
// deadline runs from the event (the scan, the landing), not from when the test starts looking.
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';

const POLL_MS = 50;

/**
 * Polls `check` until it holds; fails if it still does not `withinMs` after `since` (Date.now()
 * at the event). `seen` describes what the page showed instead, for the failure message.
 * Returns how long after the event the page showed it.
 */
export async function seenWithin(
  what: string,
  since: number,
  withinMs: number,
  check: () => Promise<boolean>,
  seen?: () => Promise<string>,
): Promise<number> {
  const deadline = since + withinMs;
  for (;;) {
    if (await check()) return Date.now() - since;
    if (Date.now() >= deadline) {
      const shown = seen ? `; the page showed ${await seen()}` : '';
      assert.fail(`${what}: not shown within ${withinMs} ms of the event${shown}`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, deadline - Date.now())));
  }
}

/** `seenWithin` for a locator's text: equal to `text`, or matching it when a RegExp. */
export function textWithin(
  locator: Locator,
  text: string | RegExp,
  since: number,
  withinMs: number,
): Promise<number> {
  const current = async () =>
    (await locator.count()) === 0 ? undefined : ((await locator.first().textContent()) ?? '');
  return seenWithin(
    `${String(locator)} showing ${String(text)}`,
    since,
    withinMs,
    async () => {
      const shown = await current();
      if (shown === undefined) return false;
      return typeof text === 'string' ? shown.trim() === text : text.test(shown);
    },
    async () => JSON.stringify((await current()) ?? 'no such element'),
  );
}

/** Waits for a locator's text without a live deadline (an ordinary page load or action). */
export function textShown(locator: Locator, text: string | RegExp, timeoutMs = 10_000) {
  return textWithin(locator, text, Date.now(), timeoutMs);
}
