// What a new user does first: `fleetplane demo`, then the ops link it prints, in a browser that
// has never seen the platform. The console must show the fleet (the demo's carts) within 2 s of
// the page landing on /ops.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CommandIo } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { platformCommands } from '../../src/cli/platform/index.js';
import { simSerial } from '../../src/cli/sim/provision-fleet.js';
import {
  DESKTOP,
  enrolThroughLink,
  freshContext,
  launchChromium,
} from '../../test-support/browser.js';
import { assertAccessible } from '../../test-support/console-page.js';
import { seenWithin } from '../../test-support/page-waits.js';
import { fleetDataDir } from '../../test-support/platform.js';

const CARTS = 2;
/** Long enough to sign in and look, short enough for the suite; the demo then stops itself. */
const SECONDS = 15;
const LIVE_MS = 2_000;

/** The demo's output as it is printed, and a way to wait for a line. */
function watchedIo() {
  const lines: string[] = [];
  const waiting: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const take = (line: string) => {
    lines.push(line);
    for (const w of waiting.filter((w) => w.pattern.test(line))) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve(line);
    }
  };
  const io: CommandIo = { out: take, err: take };
  return {
    io,
    text: () => lines.join('\n'),
    line: (pattern: RegExp) =>
      new Promise<string>((resolve) => {
        const seen = lines.find((l) => pattern.test(l));
        if (seen !== undefined) resolve(seen);
        else waiting.push({ pattern, resolve });
      }),
  };
}

describe('fleetplane demo in a browser', () => {
  it('prints the console and a sign-in link per role; the ops link shows the fleet within 2 s of landing', async (t) => {
    const browser = await launchChromium(t);
    if (!browser) return;
    t.after(() => browser.close());
    const data = await fleetDataDir(t);
    const out = watchedIo();
    const demo = main(
      [
        'demo',
        ...['--data', data, '--carts', String(CARTS), '--seconds', String(SECONDS)],
        ...['--mqtt-port', '0', '--api-port', '0', '--device-port', '0'],
      ],
      out.io,
      platformCommands(),
    );
    const ended = demo.then((code) => `the demo ended (exit ${code}) before printing its links`);
    const ready = await Promise.race([out.line(/^Stopping after/), ended]);
    assert.match(ready, /^Stopping after/, out.text());

    const text = out.text();
    const base = /^The console: (http:\/\/localhost:[0-9]+)\/$/m.exec(text)?.[1];
    assert.ok(base, `the console's address:\n${text}`);
    const links = new Map<string, string>();
    for (const role of ['ops', 'staff', 'customer']) {
      const link = new RegExp(
        `^  ${role} +(${base}/signin#link=[\\w-]+\\.[\\w-]+\\.[\\w-]+)$`,
        'm',
      );
      const found = link.exec(text)?.[1];
      assert.ok(found, `a sign-in link for ${role} on the console's address:\n${text}`);
      links.set(role, found);
    }

    // A fresh browser (no cookies, no passkey) follows the ops link.
    const context = await freshContext(browser, DESKTOP);
    const page = await context.newPage();
    await enrolThroughLink(page, links.get('ops') ?? '', {
      onSigninPage: (p) => assertAccessible(p, 'sign-in'),
    });
    const landedAt = Date.now();
    assert.equal(new URL(page.url()).pathname, '/ops');
    const carts = Array.from({ length: CARTS }, (_, i) => simSerial('demo-store', i + 1));
    const table = page.getByTestId('fleet-carts');
    const shownAfter = await seenWithin(
      `the demo's carts (${carts.join(', ')}) in the fleet`,
      landedAt,
      LIVE_MS,
      async () => {
        if ((await table.count()) === 0) return false;
        const rows = await table.locator('tbody tr').allTextContents();
        return carts.every((cart) => rows.some((row) => row.includes(cart)));
      },
      async () =>
        (await table.count()) === 0
          ? 'no cart table'
          : JSON.stringify(await table.locator('tbody tr').allTextContents()),
    );
    t.diagnostic(`the fleet was shown ${shownAfter} ms after the page landed on /ops`);
    for (const cart of carts) {
      await table.getByRole('link', { name: cart, exact: true }).waitFor();
    }
    await assertAccessible(page, 'ops fleet');
    await context.close();

    assert.equal(await demo, 0, out.text());
    assert.match(out.text(), /Invariants hold for [0-9]+ sessions/);
  });
});
