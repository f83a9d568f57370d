// The device side of `npm run bench:ingest`, in its own process: connects devices over mutual
// TLS and keeps a window of signed QoS 1 messages in flight on each, measuring publish-to-PUBACK
// time. The embedded broker sends a PUBACK only once the message is durable, so that is the
// publish-to-stored latency a device sees.
import { DeviceLink, loadProvisionedDevice } from '../src/device/link/device-link.js';
import { DEVICE_EXAMPLES } from '../src/contract/examples.js';
import { encodeSigned, topicFor } from '../src/contract/index.js';

interface LoadPlan {
  readonly url: string;
  readonly deviceDirs: readonly string[];
  readonly mode: 'throughput' | 'idle';
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly window: number;
  /** Messages signed ahead per device at a time. */
  readonly presign: number;
}

const plan = JSON.parse(process.argv[2]!) as LoadPlan;
const report = (m: object) => process.stdout.write(`${JSON.stringify(m)}\n`);

const connectStart = performance.now();
const links: DeviceLink[] = [];
for (let i = 0; i < plan.deviceDirs.length; i += 50) {
  const batch = plan.deviceDirs.slice(i, i + 50);
  links.push(
    ...(await Promise.all(
      batch.map(async (dir) =>
        DeviceLink.connect(plan.url, await loadProvisionedDevice(dir), { clean: true }),
      ),
    )),
  );
}
const connectSeconds = (performance.now() - connectStart) / 1000;
report({ event: 'connected', devices: links.length, seconds: connectSeconds });

if (plan.mode === 'idle') {
  // Hold the connections until the parent has measured them.
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
} else {
  const latencies: number[] = [];
  let sent = 0;
  let acked = 0;
  const start = performance.now();
  const measureFrom = start + plan.warmupMs;
  const stopAt = measureFrom + plan.durationMs;
  const cpuStart = process.cpuUsage();
  const template = DEVICE_EXAMPLES.health;
  report({ event: 'load-started' });
  await Promise.all(
    links.map(async (link, d) => {
      let counter = 1;
      // Devices sign on their own processors; signing here would take the platform's CPU on a
      // shared machine. So messages are signed ahead, a second's worth at a time per device.
      const queue: Uint8Array[] = [];
      const refill = () => {
        const ts = new Date().toISOString();
        for (let i = 0; i < plan.presign; i++) {
          const message = {
            ...template,
            device_id: link.credentials.deviceId,
            counter: counter++,
            ts,
            uptime_s: d,
          };
          queue.push(encodeSigned(message, (body) => link.credentials.secureElement.sign(body)));
        }
      };
      const topic = topicFor(link.credentials.deviceClass, link.credentials.deviceId, 'health');
      const lane = async () => {
        while (performance.now() < stopAt) {
          if (queue.length === 0) refill();
          const payload = queue.shift()!;
          const t0 = performance.now();
          sent++;
          await link.sendRaw(topic, payload);
          acked++;
          if (t0 >= measureFrom) latencies.push(performance.now() - t0);
        }
      };
      await Promise.all(Array.from({ length: plan.window }, lane));
    }),
  );
  const cpu = process.cpuUsage(cpuStart);
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  report({
    event: 'done',
    sent,
    acked,
    measured: latencies.length,
    p50_ms: pct(0.5),
    p99_ms: pct(0.99),
    max_ms: latencies[latencies.length - 1] ?? 0,
    load_cpu_seconds: (cpu.user + cpu.system) / 1e6,
    wall_seconds: (performance.now() - start) / 1000,
  });
}
await Promise.all(links.map((l) => l.client.endAsync(true)));
process.exit(0);
