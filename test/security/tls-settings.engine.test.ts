import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { hasBinary, needEngine } from '../../test-support/engines.js';
import { fleetDataDir, startTestPlatform } from '../../test-support/platform.js';

const run = promisify(execFile);

/** What sslscan's XML report says about one endpoint, as far as this test judges it. */
interface Scan {
  readonly protocols: Record<string, boolean>;
  readonly ciphers: {
    readonly version: string;
    readonly name: string;
    readonly strength: string;
  }[];
  readonly insecureRenegotiation: boolean;
  readonly heartbleed: boolean;
  readonly key: string;
  readonly signature: string;
  readonly selfSigned: boolean;
}

function attributes(tag: string): Record<string, string> {
  return Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

async function scan(hostPort: string): Promise<Scan> {
  const { stdout } = await run('sslscan', ['--no-colour', '--xml=-', hostPort], {
    timeout: 120_000,
  });
  const tags = (name: string) =>
    [...stdout.matchAll(new RegExp(`<${name} [^>]*>`, 'g'))].map((m) => attributes(m[0]));
  const protocols: Record<string, boolean> = {};
  for (const p of tags('protocol'))
    protocols[`${p['type']} ${p['version']}`] = p['enabled'] === '1';
  const renegotiation = tags('renegotiation')[0] ?? {};
  const pk = tags('pk')[0] ?? {};
  return {
    protocols,
    ciphers: tags('cipher').map((c) => ({
      version: c['sslversion']!,
      name: c['cipher']!,
      strength: c['strength']!,
    })),
    insecureRenegotiation: renegotiation['supported'] === '1' && renegotiation['secure'] !== '1',
    heartbleed: tags('heartbleed').some((h) => h['vulnerable'] === '1'),
    key: `${pk['type']} ${pk['curve_name']}`,
    signature: /<signature-algorithm>([^<]+)</.exec(stdout)?.[1] ?? '',
    selfSigned: /<self-signed>true</.test(stdout),
  };
}

function problems(name: string, s: Scan): string[] {
  const out: string[] = [];
  for (const old of ['ssl 2', 'ssl 3', 'tls 1.0', 'tls 1.1']) {
    if (s.protocols[old] !== false) out.push(`${name}: ${old} is not refused`);
  }
  if (!s.protocols['tls 1.2'] && !s.protocols['tls 1.3']) out.push(`${name}: no TLS 1.2 or 1.3`);
  if (s.ciphers.length === 0) out.push(`${name}: sslscan saw no cipher (scan failed?)`);
  for (const c of s.ciphers) {
    // AEAD suites only: no CBC, RC4, 3DES, NULL or export suites, none sslscan calls weak.
    if (!/GCM|CHACHA20|CCM/.test(c.name) || !['strong', 'acceptable'].includes(c.strength)) {
      out.push(`${name}: ${c.version} ${c.name} (${c.strength})`);
    }
  }
  if (s.insecureRenegotiation) out.push(`${name}: insecure renegotiation`);
  if (s.heartbleed) out.push(`${name}: heartbleed`);
  if (s.key !== 'EC prime256v1') out.push(`${name}: key ${s.key}`);
  if (s.signature !== 'ecdsa-with-SHA256') out.push(`${name}: signed ${s.signature}`);
  if (s.selfSigned) out.push(`${name}: self-signed certificate`);
  return out;
}

describe('TLS settings, as sslscan sees them from outside', () => {
  it('the broker, the device API and the HTTPS API offer TLS 1.2+ with AEAD suites and P-256 certificates only', async (t) => {
    if (!needEngine(t, hasBinary('sslscan', ['--version']), 'sslscan (Debian package sslscan)'))
      return;
    const platform = await startTestPlatform(t, await fleetDataDir(t));
    const endpoints = {
      broker: new URL(platform.mqttUrl).host,
      'device API': new URL(platform.deviceApiUrl).host,
      'HTTPS API': new URL(platform.apiUrl).host,
    };
    assert.equal(new URL(platform.apiUrl).protocol, 'https:', 'the API serves HTTPS by default');
    const found: string[] = [];
    for (const [name, host] of Object.entries(endpoints))
      found.push(...problems(name, await scan(host)));
    assert.deepEqual(found, []);
  });
});
