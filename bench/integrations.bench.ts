// Delivery rate of one webhook integration (decision 058): a feed of N stored events read by a
// runner with its SQLite log, each POSTed to a local receiver and acknowledged one at a time.
// Run: npx tsx bench/integrations.bench.ts [N]
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../src/shared/observability/logger.js';
import type { StoredEvent } from '../src/stores/telemetry/telemetry-store.js';
import { IntegrationLog } from '../src/surfaces/integrations/integration-log.js';
import { DEFAULT_INTEGRATION_RETRY } from '../src/surfaces/integrations/integration-retry.js';
import { IntegrationRunner } from '../src/surfaces/integrations/integration-runner.js';
import { WebhookSink } from '../src/surfaces/integrations/webhook-sink.js';

const total = Number(process.argv[2] ?? 2000);
const feed: StoredEvent[] = Array.from({ length: total }, (_, i) => ({
  seq: i + 1,
  deviceId: 'CART-0001',
  storeId: 'berlin-1',
  deviceClass: 'cart',
  type: 'health',
  counter: i + 1,
  deviceTime: Date.now(),
  receivedAt: Date.now(),
  body: JSON.stringify({ type: 'health', battery_pct: 80, device_id: 'CART-0001', counter: i + 1 }),
  signature: new Uint8Array(64),
}));

let received = 0;
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    received++;
    response.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;
const dir = await mkdtemp(join(tmpdir(), 'fleet-bench-'));
const log = new IntegrationLog(join(dir, 'integrations.sqlite'));
const integration = {
  id: 'bench',
  match: {},
  sink: { kind: 'webhook' as const, url: `http://127.0.0.1:${port}/hook` },
  enabled: true,
};
log.replace({ integrations: [integration] }, 0);
const runner = new IntegrationRunner({
  integration,
  sink: new WebhookSink({
    url: integration.sink.url,
    secret: 'bench-secret-0001',
    timeoutMs: 10_000,
    now: Date.now,
  }),
  log,
  telemetry: {
    eventsAfter: (seq, limit) => Promise.resolve(feed.slice(seq, seq + limit)),
  },
  retry: DEFAULT_INTEGRATION_RETRY,
  logger: silentLogger(),
  now: Date.now,
  random: Math.random,
  pollMs: 5,
  counted: () => undefined,
});
const started = performance.now();
runner.start();
while (log.position('bench').cursor < total) await new Promise((r) => setTimeout(r, 5));
const seconds = (performance.now() - started) / 1000;
await runner.stop();
log.close();
server.close();
await rm(dir, { recursive: true, force: true });
console.log(
  `${total} events delivered (${received} requests) in ${seconds.toFixed(2)} s: ${Math.round(total / seconds)} events/s, one integration, signed, acknowledged one at a time`,
);
