import { join, resolve } from 'node:path';
import { stringOption, type Command, type CommandIo } from '../command.js';
import { nonNegativeInteger } from '../identity/options.js';
import { provisionCommand } from '../identity/provision-command.js';
import { issueToken, loadTokenKeys } from '../../api/tokens.js';
import { DemoCart } from '../../device/demo/demo-cart.js';
import { CounterFile } from '../../device/link/counter-file.js';
import { DeviceLink, loadProvisionedDevice } from '../../device/link/device-link.js';
import type { StoreId } from '../../contract/index.js';
import { addStore, openIdentity, type Clock } from '../../identity/index.js';
import { processStopSignal, runPlatform, type StopSignal } from './start-command.js';
import { platformConfig, platformOptionSpec } from './platform-options.js';

const DEMO_STORE = 'demo-store';
const silent: CommandIo = { out: () => undefined, err: () => undefined };

export function demoCommand(now: Clock, stopSignal: StopSignal = processStopSignal): Command {
  return {
    path: ['demo'],
    summary: 'Start the platform with a small simulated fleet of carts sending signed traffic.',
    usage: 'demo [--data DIR] [--carts N] [--api-port N] [--mqtt-port N] [--seconds N]',
    details: [
      '--data DIR    where everything lives (default ./fleet-data); reused on the next run',
      '--carts N     simulated carts (default 5), provisioned on first use into DIR/demo/',
      '--seconds N   stop after N seconds (default: run until Ctrl-C)',
    ],
    options: { ...platformOptionSpec, carts: { type: 'string' }, seconds: { type: 'string' } },
    async run(values, io) {
      const dir = resolve(stringOption(values, 'data') ?? './fleet-data');
      const carts = nonNegativeInteger(values, 'carts') ?? 5;
      const seconds = nonNegativeInteger(values, 'seconds');
      const config = platformConfig(dir, values);
      const platform = await runPlatform(config, io);
      const demo: DemoCart[] = [];
      try {
        await addStore(
          openIdentity(dir).stores,
          {
            id: DEMO_STORE as StoreId,
            name: 'Demo Supermarket',
            region: 'eu',
            timezone: 'Europe/Berlin',
          },
          now(),
        );
        await platform.entities.upsertStore({
          storeId: DEMO_STORE,
          name: 'Demo Supermarket',
          region: 'eu',
          timezone: 'Europe/Berlin',
        });
        io.out(`Provisioning and connecting ${carts} simulated carts…`);
        for (let i = 1; i <= carts; i++) {
          const serial = `DEMO-CART-${String(i).padStart(3, '0')}`;
          const out = join(dir, 'demo', serial);
          await provisionCommand(now).run(
            { data: dir, serial, store: DEMO_STORE, out, class: 'cart' },
            silent,
          );
          const link = await DeviceLink.connect(platform.mqttUrl, await loadProvisionedDevice(out));
          const cart = new DemoCart(link, await CounterFile.open(out));
          cart.start();
          demo.push(cart);
        }
        const token = await issueToken(
          await loadTokenKeys(platform.layout.tokenKey),
          { role: 'ops', subject: 'demo', ttlSeconds: 12 * 3600 },
          now(),
        );
        const api = platform.apiUrl;
        io.out('');
        io.out('What to look at:');
        io.out(`  export TOKEN=${token}`);
        io.out(
          `  curl -s -H "Authorization: Bearer $TOKEN" ${api}/v1/stores/${DEMO_STORE}/devices`,
        );
        io.out(`  curl -s -H "Authorization: Bearer $TOKEN" ${api}/v1/devices/DEMO-CART-001`);
        io.out(
          `  curl -s -H "Authorization: Bearer $TOKEN" "${api}/v1/devices/DEMO-CART-001/events?limit=5&type=scan"`,
        );
        io.out(`  curl -s ${api}/metrics | grep fleetplane_ingest`);
        io.out(`  ${api}/openapi.json  (the API description)`);
        io.out('');
        io.out(seconds === undefined ? 'Ctrl-C to stop.' : `Stopping after ${seconds} s.`);
        const progress = setInterval(() => {
          void platform.telemetry.count().then((n) => io.err(`  ${n} events stored`));
        }, 10_000);
        const signal = await (seconds === undefined
          ? stopSignal()
          : new Promise<string>((r) => setTimeout(() => r('time'), seconds * 1000)));
        clearInterval(progress);
        io.out(`${signal}: stopping…`);
      } finally {
        await Promise.all(demo.map((c) => c.stop()));
        await platform.stop();
      }
      io.out(`Stopped. Telemetry is in ${platform.layout.telemetryDb}.`);
    },
  };
}
