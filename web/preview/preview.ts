// Looks at the built console in Debian's Chromium against canned API answers, and writes a PNG of
// each surface at phone (390 px) and tablet (768 px) width to tmp/console-preview/. A layout
// check for people, not a test: the browser tests against the running platform are the test.
//
//   npm run build:web && node --import tsx web/preview/preview.ts [--surface staff]
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { fixtureAnswer, type Role } from './fixtures.js';
import { serveDist } from './serve-dist.js';

const ORIGIN = 'http://localhost:4173';
const OUT = 'tmp/console-preview';
const only = process.argv.includes('--surface')
  ? process.argv[process.argv.indexOf('--surface') + 1]
  : undefined;

interface Shot {
  readonly name: string;
  readonly role: Role | null;
  readonly url: string;
  readonly width: number;
  /** Something on the page once it shows data. */
  readonly ready: string;
  /** idle: the shopper has no session in progress (the pairing code shows). */
  readonly variant?: 'idle';
}

const SHOTS: Shot[] = [
  { name: 'signin', role: null, url: '/signin', width: 390, ready: 'text=Sign in with a passkey' },
  { name: 'staff-carts', role: 'staff', url: '/staff', width: 768, ready: '[data-device]' },
  { name: 'staff-floor', role: 'staff', url: '/staff#floor', width: 768, ready: '.pin' },
  {
    name: 'staff-cart',
    role: 'staff',
    url: '/staff#cart/CART-0002',
    width: 768,
    ready: 'text=Basket',
  },
  { name: 'staff-alerts', role: 'staff', url: '/staff#alerts', width: 768, ready: '[data-alert]' },
  { name: 'ops-fleet', role: 'ops', url: '/ops', width: 1280, ready: '[data-testid=fleet-carts]' },
  { name: 'ops-alarms', role: 'ops', url: '/ops#alarms', width: 768, ready: '[data-alarm]' },
  {
    name: 'ops-alarm',
    role: 'ops',
    url: '/ops#alarms/alm_02',
    width: 768,
    ready: '[data-testid=alarm-history]',
  },
  {
    name: 'ops-fleet-diff',
    role: 'ops',
    url: '/ops#fleet-diff/store-1',
    width: 768,
    ready: '[data-testid=never-seen]',
  },
  {
    name: 'ops-top-errors',
    role: 'ops',
    url: '/ops#top-errors',
    width: 768,
    ready: '[data-testid=top-errors]',
  },
  { name: 'ops-metrics', role: 'ops', url: '/ops#metrics', width: 1280, ready: 'canvas' },
  { name: 'ops-rollouts', role: 'ops', url: '/ops#rollouts', width: 1280, ready: '[data-rollout]' },
  {
    name: 'ops-device',
    role: 'ops',
    url: '/ops#device/CART-0002',
    width: 1280,
    ready: 'text=Audit trail',
  },
  { name: 'ops-dead-letters', role: 'ops', url: '/ops#dead-letters', width: 768, ready: 'table' },
  { name: 'ops-billing', role: 'ops', url: '/ops#billing', width: 1280, ready: 'table' },
  {
    name: 'ops-compliance',
    role: 'ops',
    url: '/ops#compliance',
    width: 1280,
    ready: 'text=Chain verified',
  },
  {
    name: 'ops-people',
    role: 'ops',
    url: '/ops#people',
    width: 768,
    ready: '#invite-store',
  },
  {
    name: 'app-shop',
    role: 'customer',
    url: '/app',
    width: 390,
    ready: '[data-testid=live-basket]',
  },
  {
    name: 'app-pair',
    role: 'customer',
    url: '/app',
    width: 390,
    ready: 'text=Show my pairing code',
    variant: 'idle',
  },
  {
    name: 'app-history',
    role: 'customer',
    url: '/app#history',
    width: 390,
    ready: '[data-testid=history]',
  },
  {
    name: 'app-receipt',
    role: 'customer',
    url: '/app#receipt/rcpt_0123456789abcdef0123456789abcdef',
    width: 390,
    ready: '[data-check]',
  },
  {
    name: 'app-cards',
    role: 'customer',
    url: '/app#cards',
    width: 390,
    ready: 'text=Card ending in',
  },
  {
    name: 'app-data',
    role: 'customer',
    url: '/app#data',
    width: 390,
    ready: 'text=Delete my account',
  },
  { name: 'docs', role: null, url: '/docs', width: 768, ready: 'details.op' },
];

/** axe-core's serious and critical findings on the page as it stands. */
async function accessibilityProblems(page: Page): Promise<string[]> {
  // From the page's own origin: the console's CSP allows no inline script, axe's included.
  await page.addScriptTag({ url: `${ORIGIN}/__axe.js` });
  const found = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run: () => Promise<{
            violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run();
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `axe ${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  return found;
}

async function route(page: Page, role: Role | null, variant?: 'idle'): Promise<void> {
  await page.route(`${ORIGIN}/**`, async (r) => {
    const url = new URL(r.request().url());
    if (url.pathname === '/__axe.js') {
      return r.fulfill({
        contentType: 'text/javascript',
        body: await readFile('node_modules/axe-core/axe.min.js'),
      });
    }
    const api = await fixtureAnswer(role, r.request().method(), url, variant);
    if (api) return r.fulfill(api);
    return r.fulfill(await serveDist(url.pathname));
  });
}

const browser = await chromium.launch({
  executablePath: process.env['CHROMIUM'] ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
await mkdir(OUT, { recursive: true });
try {
  for (const shot of SHOTS.filter((s) => !only || s.name.startsWith(only))) {
    const page = await browser.newPage({ viewport: { width: shot.width, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    await route(page, shot.role, shot.variant);
    await page.goto(ORIGIN + shot.url);
    try {
      await page.locator(shot.ready).first().waitFor({ timeout: 15_000 });
    } catch {
      problems.push(`never showed ${shot.ready}`);
    }
    if (shot.variant === 'idle') {
      await page.getByRole('button', { name: 'Show my pairing code' }).click();
      await page.locator('svg.qr').waitFor({ timeout: 5000 });
    }
    problems.push(...(await accessibilityProblems(page)));
    await page.screenshot({ path: join(OUT, `${shot.name}.png`), fullPage: true });
    console.log(`${shot.name}: ${problems.length === 0 ? 'ok' : problems.join(' | ')}`);
    await page.close();
  }
} finally {
  await browser.close();
}
