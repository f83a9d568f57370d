// The device side of `npm run bench:scale`, in its own process: devices on mutual TLS to
// Mosquitto, sending signed QoS 1 messages at a fixed total rate (open loop). Each message is
// signed as it is sent, so its `ts` is its publish time: what ingest measures its stored lag
// from. Mosquitto PUBACKs on receipt, so PUBACKs say nothing about storing; they only bound the
// in-flight window.
import { DEVICE_EXAMPLES } from '../src/contract/examples.js';
import { encodeSigned, topicFor } from '../src/contract/index.js';
import { loadProvisionedDevice } from '../src/device/link/device-link.js';
import { RawDeviceConnection } from './raw-device-connection.js';

interface ScalePlan {
  readonly url: string;
  readonly deviceDirs: readonly string[];
  readonly rate: number;
  readonly durationMs: number;
}

const plan = JSON.parse(process.argv[2]!) as ScalePlan;
const report = (m: object) => process.stdout.write(`${JSON.stringify(m)}\n`);

const links = await Promise.all(
  plan.deviceDirs.map(async (dir) =>
    RawDeviceConnection.connect(plan.url, await loadProvisionedDevice(dir)),
  ),
);
report({ event: 'connected', devices: links.length });
const start = performance.now();
const stopAt = start + plan.durationMs;
let sent = 0;
let acked = 0;
await Promise.all(
  links.map(async (link, d) => {
    const { deviceClass, deviceId, secureElement } = link.credentials;
    const topic = topicFor(deviceClass, deviceId, 'health');
    const interval = (1000 * links.length) / plan.rate;
    const pending = new Set<Promise<void>>();
    for (let k = 0; ; k++) {
      const due = start + (d / links.length) * interval + k * interval;
      if (due >= stopAt) break;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const message = {
        ...DEVICE_EXAMPLES.health,
        device_id: deviceId,
        counter: k + 1,
        ts: new Date().toISOString(),
      };
      const payload = encodeSigned(message, (body) => secureElement.sign(body));
      sent++;
      const sending = link.send(link.encode(topic, payload)).then(() => {
        acked++;
        pending.delete(sending);
      });
      pending.add(sending);
    }
    await Promise.all(pending);
  }),
);
report({ event: 'done', sent, acked, seconds: (performance.now() - start) / 1000 });
await Promise.all(links.map((l) => l.close()));
process.exit(0);
