import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type CDPSession,
  type Page,
} from 'playwright-core';
import { needEngine } from './engines.js';

/**
 * Browser tests drive Debian's Chromium (the `chromium` package) through playwright-core: no
 * browser is ever downloaded. FLEETPLANE_CHROMIUM points elsewhere.
 */
export const CHROMIUM_PATH = process.env['FLEETPLANE_CHROMIUM'] ?? '/usr/bin/chromium';

/** The flags a closed, root-run sandbox needs; background networking only fails here. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches Chromium, or skips the test (fails it when engines are required) if it is missing. */
export async function launchChromium(t: TestContext): Promise<Browser | undefined> {
  if (!needEngine(t, existsSync(CHROMIUM_PATH), `Chromium not found at ${CHROMIUM_PATH}`)) {
    return undefined;
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export const PHONE = { width: 390, height: 844 } as const;
export const TABLET = { width: 768, height: 1024 } as const;
export const DESKTOP = { width: 1280, height: 800 } as const;

/**
 * A fresh browser profile (no cookies) at a given width. The fleet CA is not in Chromium's store,
 * so certificate errors are ignored for HTTPS runs; the API's own tests check the certificate.
 */
export async function freshContext(
  browser: Browser,
  viewport: { readonly width: number; readonly height: number },
): Promise<BrowserContext> {
  return browser.newContext({ viewport, ignoreHTTPSErrors: true });
}

/**
 * Chromium's virtual authenticator (WebAuthn over CDP): a platform authenticator with resident
 * keys and user verification, so passkey enrolment and sign-in run the real ceremony.
 */
export async function addVirtualAuthenticator(page: Page): Promise<{
  readonly cdp: CDPSession;
  readonly authenticatorId: string;
}> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly unknown[] }[];
}

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

/**
 * Runs axe-core in the page (WCAG 2 A and AA rules) and returns the serious and critical
 * violations. Evaluated over CDP, so the page's Content-Security-Policy stays as served.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (o: unknown) => Promise<unknown> } }).axe;
    const result = (await axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    })) as { violations: AxeViolation[] };
    return result.violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** One line per violation, for an assertion message a person can act on. */
export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations
    .map((v) => `${v.impact}: ${v.id} (${v.help}) at ${JSON.stringify(v.nodes[0]?.target)}`)
    .join('\n');
}

/**
 * Signs a person in through a one-time link as they would: the page enrols a passkey with the
 * browser's (virtual) authenticator and lands on the role's surface. `link` is the URL
 * `fleetplane login-link` printed.
 */
export async function enrolThroughLink(
  page: Page,
  link: string,
  options: {
    /** Runs on the sign-in page once it offers the passkey (an accessibility check, a picture). */
    readonly onSigninPage?: (page: Page) => Promise<void>;
  } = {},
): Promise<{ readonly cdp: CDPSession; readonly authenticatorId: string }> {
  const authenticator = await addVirtualAuthenticator(page);
  await page.goto(link);
  const create = page.getByRole('button', { name: 'Create a passkey and sign in' });
  if (options.onSigninPage) {
    await create.waitFor();
    await options.onSigninPage(page);
  }
  await create.click();
  await page.waitForURL(/\/(ops|staff|app)(\/|#|$)/);
  return authenticator;
}

/** Where the README's pictures of the console live. */
const SCREENSHOT_DIR = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));

/**
 * Writes docs/screenshots/<name>.png of the page as it is now, at the context's width, only when
 * FLEETPLANE_SCREENSHOTS=1 (`npm run screenshots`); otherwise does nothing, so ordinary test runs
 * leave the repository untouched. Names are `<surface>-<view>`, e.g. `ops-fleet`, `app-receipt`.
 */
export async function screenshot(
  page: Page,
  name: string,
  options: { readonly fullPage?: boolean } = {},
): Promise<void> {
  if (process.env['FLEETPLANE_SCREENSHOTS'] !== '1') return;
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name)) throw new Error(`screenshot name ${name}`);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({
    path: `${SCREENSHOT_DIR}${name}.png`,
    fullPage: options.fullPage ?? true,
    animations: 'disabled',
    caret: 'hide',
  });
}
