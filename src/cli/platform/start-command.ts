import type { Command, CommandIo } from '../command.js';
import { dataDir } from '../identity/options.js';
import { startPlatform, type RunningPlatform } from '../../platform/platform.js';
import type { PlatformConfig } from '../../platform/platform-config.js';
import { openEntities } from './entities.js';
import { startIngestProcess, type RunningIngest } from '../../platform/ingest-process.js';
import {
  platformConfig,
  platformOptionHelp,
  platformOptionSpec,
  withPortHint,
} from './platform-options.js';
import { version } from './version.js';
import { launcherGone } from './launcher-watch.js';

/** Resolves when the process is asked to stop (Ctrl-C, SIGTERM), with the reason. */
export type StopSignal = () => Promise<string>;

/**
 * Ctrl-C, SIGTERM, a terminal that hangs up (SIGHUP), or the process that launched this one
 * ending (npx, a shell's `&` job whose npx was killed): all stop through the same clean path.
 */
export const processStopSignal: StopSignal = () => {
  const launcher = launcherGone();
  return Promise.race([
    launcher.gone,
    new Promise<string>((resolve) => {
      const on = (signal: string) => () => resolve(signal);
      process.once('SIGINT', on('SIGINT'));
      process.once('SIGTERM', on('SIGTERM'));
      process.once('SIGHUP', on('SIGHUP'));
    }),
  ]).finally(() => launcher.stop());
};

/**
 * A stop asked for while the platform starts. The platform holds its data directory's lock from
 * early in its start, so the default end a signal brings would leave the lock and skip the clean
 * stop: a signal is noted instead, and the platform stops as soon as it has started. A second
 * signal ends a start that hangs at once, as Ctrl-C twice does elsewhere.
 */
function signalsWhileStarting(): { readonly caught: string | undefined; release(): void } {
  let caught: string | undefined;
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const on = (signal: string) => {
    if (caught !== undefined)
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    caught = signal;
  };
  for (const signal of signals) process.on(signal, on);
  return {
    get caught() {
      return caught;
    },
    release: () => {
      for (const signal of signals) process.off(signal, on);
    },
  };
}

export async function runPlatform(config: PlatformConfig, io: CommandIo): Promise<RunningPlatform> {
  const platform = await startPlatform(config, {
    openEntities,
    version: version(),
    // On stderr, where the logs go: stdout keeps the banner for whoever reads it.
    progress: (step) => io.err(`fleetplane: ${step}…`),
  }).catch((error: unknown) => {
    throw withPortHint(error);
  });
  const { layout } = platform;
  if (platform.caCreated) io.out(`Created the fleet CA in ${platform.identity.layout.caDir}`);
  io.out(`fleetplane ${version()} running on ${layout.root}`);
  io.out(
    config.externalBroker
      ? `  ingest      consuming ${platform.mqttUrl} (shared subscription)`
      : `  MQTT        ${platform.mqttUrl}  (mutual TLS; devices need certificates from 'fleetplane provision')`,
  );
  io.out(
    `  API         ${platform.apiUrl}  (token: fleetplane token --data ${layout.root} --role ops)`,
  );
  io.out(
    platform.apiTrust
      ? `  API TLS     certificate from the fleet CA: clients trust ${platform.apiTrust.file} (curl --cacert)`
      : platform.apiUrl.startsWith('https:')
        ? `  API TLS     the operator's certificate (--api-cert)`
        : '  API TLS     none: plain HTTP on loopback (--api-http)',
  );
  io.out(`  device API  ${platform.deviceApiUrl}  (mutual TLS; carts fetch their catalog here)`);
  io.out(`  health      ${platform.apiUrl}/healthz   metrics ${platform.apiUrl}/metrics`);
  io.out(`  API schema  ${platform.apiUrl}/openapi.json`);
  io.out(`  entities    ${config.entityUrl ? 'PostgreSQL' : `PGlite in ${layout.entitiesDir}`}`);
  io.out(
    config.queue
      ? `  ingest queue ${config.queue.url}, stream ${config.queue.stream ?? 'FLEETPLANE_INGEST'} (PUBACK once in the stream)`
      : '  ingest queue none: PUBACK once stored (--queue-url nats://HOST:4222 for JetStream)',
  );
  io.out(`  telemetry   ${config.telemetryUrl ?? layout.telemetryDb}`);
  io.out(`  blobs       ${config.blobUrl ?? layout.blobsDir}`);
  io.out(
    `  PII vault   ${config.vaultUrls ? 'PostgreSQL per region' : `PGlite in ${layout.root}/vault/us and …/eu, each opened once its region has a store`} (every column encrypted)`,
  );
  io.out(`  audit log   ${config.auditUrl ? 'PostgreSQL' : `${layout.root}/audit/audit.db`}`);
  io.out(
    config.paymentUrl
      ? `  payments    ${config.paymentUrl} (the payment bridge's certificate)`
      : '  payments    none: card taps stay guests, checkouts wait (--payment-url, fleetplane payment serve)',
  );
  io.out(`  logs        JSON lines on stderr (FLEETPLANE_LOG_LEVEL=debug for more)`);
  return platform;
}

/** `--role ingest`: a member of the shared subscription, nothing else (decision 059). */
async function runIngest(config: PlatformConfig, io: CommandIo): Promise<RunningIngest> {
  const ingest = await startIngestProcess(config, { openEntities }).catch((error: unknown) => {
    throw withPortHint(error);
  });
  io.out(`fleetplane ${version()} ingest process on ${config.dataDir}`);
  io.out(`  ingest      consuming ${ingest.brokerUrl} (shared subscription)`);
  io.out(`  telemetry   ${config.telemetryUrl}`);
  io.out(`  health      ${ingest.healthUrl}`);
  return ingest;
}

export function startCommand(stopSignal: StopSignal = processStopSignal): Command {
  return {
    path: ['start'],
    summary:
      'Run the platform: mutual-TLS MQTT broker, device API, ingest, stores and HTTPS API, in one process.',
    usage:
      'start --data DIR [--role all|api|ingest] [--mqtt-port N] [--api-port N] [--api-http | --api-cert FILE --api-key FILE] [--device-port N] [--broker-url URL] [--queue-url URL] [--entity-url URL] [--telemetry-url URL] [--blob-url URL]',
    details: [
      'Creates the fleet CA in DIR on first run. Ctrl-C stops it cleanly: messages in flight are',
      'stored and acknowledged, or left unacknowledged for the device to send again.',
      ...platformOptionHelp,
    ],
    options: platformOptionSpec,
    required: ['data'],
    async run(values, io) {
      const config = platformConfig(dataDir(values), values);
      const starting = signalsWhileStarting();
      let platform: { stop(): Promise<void> };
      try {
        platform =
          config.role === 'ingest' ? await runIngest(config, io) : await runPlatform(config, io);
      } finally {
        starting.release();
      }
      io.out('Ctrl-C to stop.');
      try {
        const signal = starting.caught ?? (await stopSignal());
        io.out(`${signal}: stopping…`);
      } finally {
        await platform.stop();
      }
      io.out('Stopped.');
    },
  };
}
