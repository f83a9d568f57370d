import type { Command } from '../command.js';
import { UsageError, stringOption } from '../command.js';
import { dataDir, nonNegativeInteger } from '../identity/options.js';
import type { StopSignal } from '../platform/start-command.js';
import type { Clock } from '../../edge/identity/index.js';
import type { Logger } from '../../shared/observability/logger.js';
import { BRIDGE_COMMON_NAME } from '../../domain/payment-bridge/bridge-layout.js';
import { PaymentServer } from '../../payment/payment-server.js';
import { PaymentService } from '../../payment/payment-service.js';
import { PaymentStore } from '../../payment/payment-store.js';
import { initPaymentZone, loadPaymentZone } from '../../payment/payment-zone.js';
import { SimulatedProcessor } from '../../payment/processor.js';

export const DEFAULT_PAYMENT_PORT = 9443;
/** Loopback by default: the platform is the only client, and usually on the same host. */
export const DEFAULT_PAYMENT_HOST = '127.0.0.1';

export interface PaymentCommandDeps {
  readonly now: Clock;
  readonly stopSignal: StopSignal;
  readonly log: () => Logger;
}

export function paymentInitCommand(deps: PaymentCommandDeps): Command {
  return {
    path: ['payment', 'init'],
    summary: "Create the payment zone: its own CA, the service's certificate and the bridge's.",
    usage: 'payment init --data DIR',
    details: [
      'Writes DIR/payment/ (mode 0700: the payment CA, the service certificate, the pinned bridge',
      "certificate, the simulated processor's secret; later the service's database) and",
      "DIR/payment-bridge/ (the platform's client key and certificate and the payment CA).",
      'Nothing there trusts the fleet CA. Running it again keeps what exists and reissues only a',
      'missing or nearly expired certificate.',
    ],
    options: { data: { type: 'string' } },
    required: ['data'],
    async run(values, io) {
      const dir = dataDir(values);
      const result = await initPaymentZone(dir, deps.now());
      const { zone, bridge } = result;
      io.out(
        result.created
          ? `Created the payment zone in ${zone.layout.dir} with its own CA.`
          : `Kept the payment zone in ${zone.layout.dir}.`,
      );
      if (!result.created && result.issued.includes('server')) {
        io.out('  Renewed the service certificate; restart the payment service to use it.');
      }
      if (result.issued.includes('bridge')) {
        io.out(`  Issued the bridge credential (${BRIDGE_COMMON_NAME}) to ${bridge.dir}.`);
        if (!result.created) io.out('  Restart the payment service and the platform to use it.');
      }
      io.out(`  pinned bridge certificate SHA-256 ${zone.bridgeFingerprint256}`);
      io.out(`  run: fleetplane payment serve --data ${dir}`);
    },
  };
}

export function paymentServeCommand(deps: PaymentCommandDeps): Command {
  return {
    path: ['payment', 'serve'],
    summary: 'Run the payment service in this process: HTTPS for the payment bridge only.',
    usage: 'payment serve --data DIR [--port N] [--host H]',
    details: [
      `--port N   port to listen on (default ${DEFAULT_PAYMENT_PORT}; 0 picks a free one)`,
      `--host H   address to listen on (default ${DEFAULT_PAYMENT_HOST})`,
      "Answers only the bridge certificate that 'fleetplane payment init' wrote; refuses any",
      'request that looks like it holds a card number. Logs JSON lines on stderr. Ctrl-C stops it.',
    ],
    options: { data: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } },
    required: ['data'],
    async run(values, io) {
      const port = nonNegativeInteger(values, 'port') ?? DEFAULT_PAYMENT_PORT;
      if (port > 65_535) throw new UsageError(`--port must be at most 65535, got ${port}`);
      const host = stringOption(values, 'host') ?? DEFAULT_PAYMENT_HOST;
      if (host === '') throw new UsageError('--host must not be empty');
      const zone = await loadPaymentZone(dataDir(values));
      const log = deps.log();
      const store = new PaymentStore(zone.layout.db);
      const server = new PaymentServer({
        host,
        port,
        zone,
        service: new PaymentService(store, new SimulatedProcessor(zone.processorSecret)),
        log,
      });
      try {
        const { url } = await server.start();
        io.out(`payment service listening on ${url}`);
        io.out(`  pinned client  ${BRIDGE_COMMON_NAME} (SHA-256 ${zone.bridgeFingerprint256})`);
        io.out(`  database       ${zone.layout.db}`);
        io.out('  processor      simulated');
        io.out('Ctrl-C to stop.');
        const signal = await deps.stopSignal();
        io.out(`${signal}: stopping…`);
      } finally {
        await server.close();
        store.close();
      }
      io.out('Stopped.');
    },
  };
}
