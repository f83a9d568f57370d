import { resolve } from 'node:path';
import { startDemoPaymentService } from '../payment/demo-payment-service.js';
import {
  UsageError,
  stringOption,
  type Command,
  type CommandIo,
  type OptionValues,
} from '../command.js';
import { isLoopbackHost } from '../../platform/api-transport.js';
import type { PlatformConfig } from '../../platform/platform-config.js';
import { nonNegativeInteger } from '../identity/options.js';
import { issueToken, loadTokenKeys } from '../../surfaces/api/tokens.js';
import { runFleet } from '../../device/sim/fleet.js';
import type { StoreId } from '../../contract/index.js';
import { addStore, openIdentity, type Clock } from '../../edge/identity/index.js';
import { simCarts } from '../sim/cart-factory.js';
import { provisionFleet } from '../sim/provision-fleet.js';
import { entityPlatformView } from '../sim/entity-platform-view.js';
import { storeShelf } from '../sim/sim-catalog.js';
import { summaryLines } from '../sim/sim-summary.js';
import { processStopSignal, runPlatform, type StopSignal } from './start-command.js';
import {
  platformConfig,
  platformOptionHelp,
  platformOptionSpec,
  withPortHint,
} from './platform-options.js';
import { checkPortsFree } from '../../platform/listeners.js';
import { demoCustomer, printSigninLinks } from './demo-console.js';

const DEMO_STORE = 'demo-store';
/** A minute of the store per real second: something to watch without waiting all day. */
const DEMO_SPEED = 60;
const DEMO_SITE = {
  storeId: DEMO_STORE,
  currency: 'EUR',
  geofence: { lat: 52.52, lon: 13.405, radiusM: 150 },
};

export function demoCommand(now: Clock, stopSignal: StopSignal = processStopSignal): Command {
  return {
    path: ['demo'],
    summary:
      'Start the platform with a simulated store of carts shopping over their own certificates.',
    usage: 'demo [--data DIR] [--carts N] [--api-port N] [--https] [--mqtt-port N] [--seconds N]',
    details: [
      '--data DIR    where everything lives (default ./fleet-data); reused on the next run',
      '--carts N     simulated carts (default 5), provisioned on first use into DIR/sim/demo-store/',
      '--seconds N   stop after N seconds (default: run until Ctrl-C)',
      '--https       serve the API and console over HTTPS (fleet CA certificate, or --api-cert and',
      '              --api-key); by default plain HTTP on loopback, so a fresh browser opens the',
      '              console without a certificate warning (localhost is a secure context)',
      `The carts are the cart model of fleetplane sim, in a store day at ${DEMO_SPEED}× real time.`,
      'Every flag of fleetplane start applies as well:',
      ...platformOptionHelp,
    ],
    options: {
      ...platformOptionSpec,
      carts: { type: 'string' },
      seconds: { type: 'string' },
      https: { type: 'boolean' },
    },
    async run(values, io) {
      const dir = resolve(stringOption(values, 'data') ?? './fleet-data');
      const carts = nonNegativeInteger(values, 'carts') ?? 5;
      const seconds = nonNegativeInteger(values, 'seconds');
      const config = demoPlatformConfig(dir, values);
      // Before the payment service and the platform's slow start: a taken port fails at once.
      await checkPortsFree(config).catch((error: unknown) => {
        throw withPortHint(error);
      });
      const payments = await startDemoPaymentService(dir, now());
      io.out(
        `Payment service (simulated processor) on ${payments.url}, its own zone in ${dir}/payment`,
      );
      const platform = await runPlatform({ ...config, paymentUrl: payments.url }, io).catch(
        async (error: unknown) => {
          await payments.close();
          throw error;
        },
      );
      try {
        const store = {
          name: 'Demo Supermarket',
          region: 'eu' as const,
          timezone: 'Europe/Berlin',
        };
        await addStore(openIdentity(dir).stores, { id: DEMO_STORE as StoreId, ...store }, now());
        await platform.entities.upsertStore({ storeId: DEMO_STORE, ...store });
        const shelf = storeShelf(DEMO_STORE);
        if ((await platform.entities.listCatalogItems(DEMO_STORE)).length === 0) {
          await platform.entities.upsertCatalogItems(
            DEMO_STORE,
            shelf.products.map(({ sku, barcode, name, priceCents, weightG }) => ({
              ...{ sku, barcode, name, priceCents, weightG },
            })),
          );
        }
        io.out(`Provisioning ${carts} simulated carts…`);
        const { identities } = await provisionFleet(dir, DEMO_STORE, carts, { now });
        const token = await issueToken(
          await loadTokenKeys(platform.layout.tokenKey),
          { role: 'ops', subject: 'demo', ttlSeconds: 12 * 3600 },
          now(),
        );
        const curl = platform.apiTrust ? `curl -s --cacert ${platform.apiTrust.file}` : 'curl -s';
        printWhatToLookAt(io, { api: platform.apiUrl, curl }, identities[0]?.serial, token);
        await printSigninLinks(
          io,
          platform,
          {
            store: DEMO_STORE,
            customerId: await demoCustomer(platform),
            publicUrl: config.publicUrl,
          },
          now(),
        );
        io.out(seconds === undefined ? 'Ctrl-C to stop.' : `Stopping after ${seconds} s.`);

        const stop = new AbortController();
        const stopped = seconds === undefined ? stopSignal() : sleep(seconds * 1000, 'time');
        void stopped.then((why) => {
          io.out(`${why}: the carts finish their trips and send what they hold…`);
          stop.abort();
        });
        const { createCart, scenarios } = simCarts({
          mqttUrl: platform.mqttUrl,
          deviceApiUrl: platform.deviceApiUrl,
          seed: Date.now() % 1_000_000,
          shelf,
        });
        const result = await runFleet({
          identities,
          site: DEMO_SITE,
          createCart,
          scenario: scenarios.mixed,
          durationMs: 365 * 24 * 3_600_000, // until stopped
          speed: DEMO_SPEED,
          seed: Date.now() % 1_000_000,
          meanIdleMs: 10 * 60_000,
          signal: stop.signal,
          progressEveryMs: 10_000,
          // What the carts sent against what the platform holds, as fleetplane sim checks it.
          verify: { view: entityPlatformView(platform.entities) },
          onProgress: (p) =>
            io.err(
              `  ${p.sessions} sessions, ${p.scans} scans, ${p.buffered} waiting for a link, ` +
                `${p.rejects} refused by the cloud`,
            ),
        });
        for (const line of summaryLines(result, result.invariants?.notChecked ?? [])) io.out(line);
      } finally {
        await platform.stop();
        await payments.close();
      }
      io.out(`Stopped. Telemetry is in ${platform.layout.telemetryDb}.`);
    },
  };
}

/**
 * The demo is local: plain HTTP on loopback unless asked for HTTPS (--https, or an operator's
 * certificate), so that a fresh browser following its links lands on the console and not on a
 * certificate warning (decision 023).
 */
export function demoPlatformConfig(dir: string, values: OptionValues): PlatformConfig {
  const https =
    values['https'] === true || values['api-cert'] !== undefined || values['api-key'] !== undefined;
  if (https) return platformConfig(dir, values);
  const host = stringOption(values, 'api-host');
  if (host !== undefined && !isLoopbackHost(host)) {
    throw new UsageError(
      `the demo serves plain HTTP on loopback only; add --https to serve on --api-host ${host}`,
    );
  }
  return platformConfig(dir, { ...values, 'api-http': true });
}

function printWhatToLookAt(
  io: CommandIo,
  { api, curl }: { api: string; curl: string },
  cart: string | undefined,
  token: string,
) {
  io.out('');
  io.out('What to look at:');
  io.out(`  export TOKEN=${token}`);
  io.out(`  ${curl} -H "Authorization: Bearer $TOKEN" ${api}/v1/stores/${DEMO_STORE}/devices`);
  io.out(
    `  ${curl} -H "Authorization: Bearer $TOKEN" "${api}/v1/stores/${DEMO_STORE}/sessions?limit=5"`,
  );
  if (cart) {
    io.out(`  ${curl} -H "Authorization: Bearer $TOKEN" ${api}/v1/devices/${cart}`);
    io.out(
      `  ${curl} -H "Authorization: Bearer $TOKEN" "${api}/v1/devices/${cart}/events?limit=5&type=scan"`,
    );
  }
  io.out(`  ${curl} ${api}/metrics | grep fleetplane_ingest`);
  io.out(`  ${api}/openapi.json  (the API description)`);
  io.out('');
}

function sleep(ms: number, value: string): Promise<string> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms).unref());
}
