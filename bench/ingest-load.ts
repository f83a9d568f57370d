// The device side of `npm run bench:ingest`, in its own process: connects devices over mutual
// TLS and keeps a window of signed QoS 1 messages in flight on each, measuring publish-to-PUBACK
// time. The embedded broker sends a PUBACK only once the message is durable, so that is the
// publish-to-stored latency a device sees.
import { DeviceLink, loadProvisionedDevice } from '../src/device/link/device-link.js';
import { DEVICE_EXAMPLES } from '../src/contract/examples.js';
import { encodeSigned, topicFor } from '../src/contract/index.js';
import { RawDeviceConnection } from './raw-device-connection.js';

interface LoadPlan {
  readonly url: string;
  readonly deviceDirs: readonly string[];
  readonly mode: 'throughput' | 'idle';
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly window: number;
  /** Messages per second over all devices, sent on schedule whatever the PUBACKs (open loop); 0: as many as the window allows. */
  readonly rate?: number;
  /** Messages signed per device before the run starts. */
  readonly presign: number;
}

const plan = JSON.parse(process.argv[2]!) as LoadPlan;
const report = (m: object) => process.stdout.write(`${JSON.stringify(m)}\n`);

// Idle devices are full mqtt.js clients, as firmware's would be; the throughput phase uses a
// lean connection (raw-device-connection.ts) so the load generator leaves the CPU to the platform.
async function connectAll<T>(connect: (dir: string) => Promise<T>): Promise<T[]> {
  const connectStart = performance.now();
  const connected: T[] = [];
  for (let i = 0; i < plan.deviceDirs.length; i += 50) {
    const batch = plan.deviceDirs.slice(i, i + 50);
    connected.push(...(await Promise.all(batch.map(connect))));
  }
  const seconds = (performance.now() - connectStart) / 1000;
  report({ event: 'connected', devices: connected.length, seconds });
  return connected;
}

if (plan.mode === 'idle') {
  const links = await connectAll(async (dir) =>
    DeviceLink.connect(plan.url, await loadProvisionedDevice(dir), { clean: true }),
  );
  // Hold the connections until the parent has measured them.
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  await Promise.all(links.map((l) => l.client.endAsync(true)));
} else {
  const links = await connectAll(async (dir) =>
    RawDeviceConnection.connect(plan.url, await loadProvisionedDevice(dir)),
  );
  const latencies: number[] = [];
  let sent = 0;
  let acked = 0;
  let signedDuringRun = 0;
  const template = DEVICE_EXAMPLES.health;
  // Devices sign on their own processors; signing here, on a machine shared with the platform,
  // would take the platform's CPU. So every device's messages are signed before the clock starts
  // (plan.presign each); a device that runs out signs more inline, and the report counts those.
  const devices = links.map((link, d) => {
    const topic = topicFor(link.credentials.deviceClass, link.credentials.deviceId, 'health');
    let counter = 1;
    const sign = (n: number) => {
      const ts = new Date().toISOString();
      const out: { messageId: number; packet: Buffer }[] = [];
      for (let i = 0; i < n; i++) {
        const message = {
          ...template,
          device_id: link.credentials.deviceId,
          counter: counter++,
          ts,
          uptime_s: d,
        };
        const signed = encodeSigned(message, (body) => link.credentials.secureElement.sign(body));
        out.push(link.encode(topic, signed));
      }
      return out;
    };
    return { link, sign, queue: [] as { messageId: number; packet: Buffer }[], next: 0 };
  });
  const signStart = performance.now();
  for (const [i, device] of devices.entries()) {
    device.queue = device.sign(plan.presign);
    if ((i + 1) % 20 === 0) report({ event: 'signed', devices: i + 1, of: devices.length });
  }
  report({ event: 'presigned', seconds: (performance.now() - signStart) / 1000 });
  const start = performance.now();
  const measureFrom = start + plan.warmupMs;
  const stopAt = measureFrom + plan.durationMs;
  const cpuStart = process.cpuUsage();
  report({ event: 'load-started' });
  await Promise.all(
    devices.map(async (device, d) => {
      const lane = async () => {
        while (performance.now() < stopAt) {
          if (device.next === device.queue.length) {
            device.queue = device.sign(50);
            device.next = 0;
            signedDuringRun += 50;
          }
          const payload = device.queue[device.next++]!;
          const t0 = performance.now();
          sent++;
          await device.link.send(payload);
          acked++;
          if (t0 >= measureFrom) latencies.push(performance.now() - t0);
        }
      };
      if (!plan.rate) {
        await Promise.all(Array.from({ length: plan.window }, lane));
        return;
      }
      // Paced: this device's share of the rate, its sends spread evenly and offset from the
      // other devices', each timed from its scheduled moment to its PUBACK.
      const interval = (1000 * devices.length) / plan.rate;
      const offset = (d / devices.length) * interval;
      const pending: Promise<void>[] = [];
      for (let k = 0; ; k++) {
        const due = start + offset + k * interval;
        if (due >= stopAt) break;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (device.next === device.queue.length) {
          device.queue = device.sign(50);
          device.next = 0;
          signedDuringRun += 50;
        }
        const payload = device.queue[device.next++]!;
        sent++;
        pending.push(
          device.link.send(payload).then(() => {
            acked++;
            if (due >= measureFrom) latencies.push(performance.now() - due);
          }),
        );
      }
      await Promise.all(pending);
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
    signed_during_run: signedDuringRun,
  });
  await Promise.all(links.map((l) => l.close()));
}
process.exit(0);
