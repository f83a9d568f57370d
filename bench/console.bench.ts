import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';

// How fast the console opens on localhost: `fleetplane demo` runs in a child process with its
// simulated carts; Debian's Chromium follows the demo's ops sign-in link (a real passkey through
// the virtual authenticator), then opens the ops console again and again with an empty cache.
// Beside each load, the floor measured in the same page: one fetch of /healthz from the same
// server (a round trip with nothing to render).

const { values } = parseArgs({
  options: {
    loads: { type: 'string', default: '10' },
    carts: { type: 'string', default: '5' },
    chromium: {
      type: 'string',
      default: process.env['FLEETPLANE_CHROMIUM'] ?? '/usr/bin/chromium',
    },
  },
});
const loads = Number(values.loads);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const ms = (x: number) => `${x.toFixed(0)} ms`;

const data = await mkdtemp(join(tmpdir(), 'fleetplane-console-bench-'));
const [api, mqtt, device] = [await freePort(), await freePort(), await freePort()];
const demo = spawn(
  process.execPath,
  [
    'bin/fleetplane.js',
    'demo',
    '--data',
    data,
    '--carts',
    values.carts,
    '--api-port',
    String(api),
    '--mqtt-port',
    String(mqtt),
    '--device-port',
    String(device),
  ],
  { stdio: ['ignore', 'pipe', 'ignore'] },
);
const opsLink = await new Promise<string>((resolve, reject) => {
  let text = '';
  demo.stdout.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    const match = /^ {2}ops +(http\S+\/signin#link=\S+)$/m.exec(text);
    if (match) resolve(match[1]!);
  });
  demo.once('exit', (code) => reject(new Error(`demo exited (${code}) before printing links`)));
});
process.stderr.write(`demo running; signing in as ops\n`);

const browser = await chromium.launch({
  executablePath: values.chromium,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  await page.goto(opsLink);
  const signinStarted = performance.now();
  await page.getByRole('button', { name: 'Create a passkey and sign in' }).click();
  await page.waitForURL(/\/ops/);
  await page.locator('[data-testid=fleet-carts] tbody tr').first().waitFor();
  const signinToFleet = performance.now() - signinStarted;
  console.log(`passkey enrolment to the fleet on screen: ${ms(signinToFleet)}`);

  const fleetVisible: number[] = [];
  const loadEvent: number[] = [];
  const floor: number[] = [];
  let jsBytes = 0;
  for (let i = 0; i < loads; i++) {
    await cdp.send('Network.clearBrowserCache');
    const started = performance.now();
    await page.goto(new URL('/ops', opsLink).href);
    await page.locator('[data-testid=fleet-carts] tbody tr').first().waitFor();
    fleetVisible.push(performance.now() - started);
    const timing = await navigationTiming(page);
    loadEvent.push(timing.load);
    jsBytes = timing.jsBytes;
    floor.push(await healthzRoundTrip(page));
    process.stderr.write(`  load ${i + 1}/${loads}: fleet on screen ${ms(fleetVisible.at(-1)!)}\n`);
  }
  const result = {
    bench: 'console',
    loads,
    js_transferred_bytes: jsBytes,
    fleet_visible_ms_p50: Math.round(percentile(fleetVisible, 50)),
    fleet_visible_ms_max: Math.round(Math.max(...fleetVisible)),
    load_event_ms_p50: Math.round(percentile(loadEvent, 50)),
    healthz_round_trip_ms_p50: Number(percentile(floor, 50).toFixed(2)),
    enrol_to_fleet_ms: Math.round(signinToFleet),
  };
  console.log(
    `cold load of /ops (empty cache), ${loads} times: fleet on screen p50 ${ms(result.fleet_visible_ms_p50)}, max ${ms(result.fleet_visible_ms_max)}; load event p50 ${ms(result.load_event_ms_p50)}; target under 1,000 ms`,
  );
  console.log(
    `JavaScript transferred on a cold load: ${(jsBytes / 1024).toFixed(1)} KiB (budget 300 KB gzipped); floor: a /healthz round trip from the page, p50 ${result.healthz_round_trip_ms_p50} ms`,
  );
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
  demo.kill('SIGINT');
  await new Promise((resolve) => demo.once('exit', resolve));
  await rm(data, { recursive: true, force: true });
}

async function navigationTiming(page: Page): Promise<{ load: number; jsBytes: number }> {
  // Runs in the page, typed without the DOM library; no named function inside (tsx would wrap
  // it in a helper the page does not have).
  return page.evaluate(() => {
    const timeline = performance as unknown as { getEntriesByType(t: string): unknown[] };
    const nav = timeline.getEntriesByType('navigation')[0] as {
      loadEventEnd: number;
      startTime: number;
    };
    const js = (timeline.getEntriesByType('resource') as { name: string; transferSize: number }[])
      .filter((r) => r.name.endsWith('.js'))
      .reduce((sum, r) => sum + r.transferSize, 0);
    return { load: nav.loadEventEnd - nav.startTime, jsBytes: js };
  });
}

async function healthzRoundTrip(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const started = performance.now();
    await (await fetch(`/healthz?n=${Math.random()}`)).text();
    return performance.now() - started;
  });
}
