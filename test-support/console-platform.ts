// The embedded platform as the browser tests use it: plain HTTP on loopback (as `fleetplane demo`
// serves it; Chromium refuses WebAuthn on a page with a certificate error, and the fleet CA is not
// in its store), and one-time sign-in links from the real `fleetplane login-link`.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { PlatformConfig } from '../src/platform/platform-config.js';
import type { PlatformDeps, RunningPlatform } from '../src/platform/platform.js';
import { loginLinkCli } from './console-browser.js';
import { startTestPlatform, testConfig } from './platform.js';

export async function startConsolePlatform(
  t: TestContext,
  data: string,
  overrides: Partial<PlatformConfig> = {},
  deps: Partial<PlatformDeps> = {},
): Promise<RunningPlatform> {
  const api = { ...testConfig(data).api, transport: { kind: 'http' as const } };
  return startTestPlatform(t, data, { api, ...overrides }, deps);
}

export interface LinkFor {
  readonly role: 'ops' | 'staff' | 'customer';
  readonly store?: string;
  readonly subject?: string;
  readonly name?: string;
}

/** A one-time sign-in URL for a person, from `fleetplane login-link` against the running platform. */
export async function signInLink(data: string, who: LinkFor): Promise<string> {
  const argv = ['--data', data, '--role', who.role];
  if (who.store) argv.push('--store', who.store);
  if (who.subject) argv.push('--subject', who.subject);
  if (who.name) argv.push('--name', who.name);
  const { code, io } = await loginLinkCli(...argv);
  assert.equal(code, 0, io.text());
  const url = io.stdout.at(-1) ?? '';
  assert.match(url, /\/signin#link=/, `a sign-in link on the last line: ${io.text()}`);
  return url;
}
