import { resolve } from 'node:path';
import { isIP } from 'node:net';
import { UsageError, stringOption, type OptionSpec, type OptionValues } from '../command.js';
import { nonNegativeInteger } from '../identity/options.js';
import {
  DEFAULT_API_PORT,
  DEFAULT_DEVICE_API_PORT,
  DEFAULT_MQTT_PORT,
  defaultConfig,
  PLATFORM_ROLES,
  type IngestQueueConfig,
  type PlatformConfig,
  type PlatformRole,
} from '../../platform/platform-config.js';
import { DEFAULT_MESSAGE_RATE, type MessageRate } from '../../edge/broker/message-rate.js';
import { isLoopbackHost } from '../../platform/api-transport.js';
import { PortInUseFailure, type Listener } from '../../platform/listeners.js';
import { Failure } from '../../shared/failure.js';
import { parseDynamoDbTelemetryUrl } from '../../stores/telemetry/dynamodb/telemetry-url.js';
import { parseS3BlobUrl } from '../../stores/blobs/s3/blob-url.js';

export const platformOptionSpec: OptionSpec = {
  data: { type: 'string' },
  role: { type: 'string' },
  'mqtt-port': { type: 'string' },
  'mqtt-host': { type: 'string' },
  edges: { type: 'string' },
  'message-rate': { type: 'string' },
  'message-burst': { type: 'string' },
  hostname: { type: 'string', multiple: true },
  'api-port': { type: 'string' },
  'device-port': { type: 'string' },
  'api-host': { type: 'string' },
  'api-http': { type: 'boolean' },
  'api-cert': { type: 'string' },
  'api-key': { type: 'string' },
  'entity-url': { type: 'string' },
  'telemetry-url': { type: 'string' },
  'blob-url': { type: 'string' },
  'broker-url': { type: 'string' },
  'broker-username': { type: 'string' },
  'broker-ca': { type: 'string' },
  'broker-cert': { type: 'string' },
  'broker-key': { type: 'string' },
  'share-group': { type: 'string' },
  'queue-url': { type: 'string' },
  'queue-stream': { type: 'string' },
  'verify-threads': { type: 'string' },
  'retention-days': { type: 'string' },
  'coldchain-retention-days': { type: 'string' },
  'ota-tick-s': { type: 'string' },
  'payment-url': { type: 'string' },
  'vault-url-us': { type: 'string' },
  'vault-url-eu': { type: 'string' },
  'audit-url': { type: 'string' },
  'kms-key': { type: 'string' },
  'kms-region': { type: 'string' },
  'public-url': { type: 'string' },
};

export const platformOptionHelp: readonly string[] = [
  '--role ROLE          all (default), api or ingest. With --broker-url, processes share one DIR:',
  '                     one api (console, API, projection, OTA; consumes nothing from the broker)',
  '                     and N ingest (verify and store from the shared subscription, /healthz on',
  '                     --api-port over HTTP; needs --telemetry-url dynamodb://… and --entity-url)',
  `--mqtt-port N        embedded broker port (default ${DEFAULT_MQTT_PORT}; 0 picks a free one)`,
  '--mqtt-host ADDR     address it listens on (default 0.0.0.0)',
  '--edges N            hold device connections in N edge processes, which run the TLS on every',
  '                     core; each may hold about 16,000 devices (default 0: the platform holds them)',
  '--message-rate N     messages a second one device may publish, after a burst of --message-burst N',
  '                     (default 20 after 1,000); faster, its connection is read more slowly. 0: no limit',
  '--hostname NAME      a name devices use to reach the broker, for its certificate (repeatable;',
  '                     default localhost and 127.0.0.1)',
  `--api-port N         the API's port (default ${DEFAULT_API_PORT}; 0 picks a free one)`,
  '--api-host ADDR      address the API listens on (default 127.0.0.1)',
  '                     The API is HTTPS with a certificate from the fleet CA for localhost,',
  '                     127.0.0.1, ::1 and --api-host (clients trust DIR/ca/trust-bundle.pem)',
  '--api-cert FILE      serve the API with this PEM certificate (chain) instead, and --api-key FILE',
  '--api-http           plain HTTP instead of HTTPS: only on a loopback --api-host',
  `--device-port N      device API port: HTTPS, mutual TLS, on the broker's address (default`,
  `                     ${DEFAULT_DEVICE_API_PORT}; 0 picks a free one)`,
  '--entity-url URL     PostgreSQL for the entity store (default: PGlite under DIR/entities)',
  '--telemetry-url URL  DynamoDB for telemetry: dynamodb://HOST:PORT/TABLE, or dynamodb:///TABLE for',
  "                     AWS; the table is created when missing; credentials from the AWS SDK's chain",
  '                     (default: SQLite under DIR/telemetry)',
  '--blob-url URL       S3 for firmware, receipts and archives: s3://BUCKET, or',
  '                     s3://BUCKET?endpoint=http://HOST:PORT for an S3-compatible server',
  '                     (default: files under DIR/blobs)',
  '--broker-url URL     consume from an external broker (mqtts://host:8883) instead of running one;',
  '                     --broker-username NAME, password from FLEETPLANE_BROKER_PASSWORD; --broker-ca/--broker-cert/',
  '                     --broker-key PEM files (default: an ingest certificate from the fleet CA)',
  '--share-group NAME   shared-subscription group of the ingest processes (default fleetplane-ingest)',
  '--queue-url URL      an ingest queue on NATS JetStream (nats://HOST:4222) between the broker and',
  '                     the store: a device is acknowledged once its verified message is in the',
  '                     stream; every platform given the same URL and stream shares the storing',
  "--queue-stream NAME  the queue's JetStream stream (default FLEETPLANE_INGEST)",
  '--verify-threads N   signature verification threads (default: one per core; 0: main thread)',
  '--retention-days N   telemetry kept hot, then folded into daily aggregates (default: 18 months)',
  '--coldchain-retention-days N',
  '                     days shipment readings and excursions are kept (default 90)',
  '--ota-tick-s N       how often rollouts are judged and their due jobs sent (default 30)',
  '--payment-url URL    the payment service (fleetplane payment serve), e.g. https://127.0.0.1:9443;',
  '                     reached with DIR/payment-bridge (fleetplane payment init). Without it card',
  '                     taps stay guests and checkouts wait as payment-unavailable',
  '--vault-url-us URL   PostgreSQL database for the US PII vault (default: PGlite under DIR/vault/us)',
  '--vault-url-eu URL   the same for the EU vault; never the same database as the US one',
  '--audit-url URL      PostgreSQL for the audit log (default: SQLite under DIR/audit)',
  '--kms-key ID         AWS KMS key (id, ARN or alias) for data keys instead of the local keyring;',
  "                     --kms-region REGION (default: the SDK's)",
  '--public-url URL     where browsers reach the console, behind a proxy or by a real host name',
  "                     (default: the API's own port at localhost); passkeys are registered for",
  '                     its host and sign-in links point at it',
];

function otaTickMs(values: OptionValues): number | undefined {
  const seconds = nonNegativeInteger(values, 'ota-tick-s');
  if (seconds === 0) throw new UsageError('--ota-tick-s must be at least 1');
  return seconds === undefined ? undefined : seconds * 1000;
}

function port(values: OptionValues, name: string, fallback: number): number {
  const n = nonNegativeInteger(values, name);
  if (n === undefined) return fallback;
  if (n > 65535) throw new UsageError(`--${name} must be a port number (0-65535), got ${n}`);
  return n;
}

export function platformConfig(dataDir: string, values: OptionValues): PlatformConfig {
  const base = defaultConfig(dataDir);
  const hostnames = values['hostname'];
  const brokerUrl = stringOption(values, 'broker-url');
  if (brokerUrl !== undefined && !/^mqtts?:\/\/[^/]+/.test(brokerUrl)) {
    throw new UsageError(`--broker-url must look like mqtts://host:8883, got '${brokerUrl}'`);
  }
  const entityUrl = stringOption(values, 'entity-url');
  if (entityUrl !== undefined && !/^postgres(ql)?:\/\//.test(entityUrl)) {
    throw new UsageError(`--entity-url must be a postgres:// URL, got '${entityUrl}'`);
  }
  const optional = <T>(key: string, value: T | undefined) =>
    value === undefined ? {} : { [key]: value };
  return {
    ...base,
    ...optional('role', role(values, brokerUrl)),
    mqtt: {
      host: stringOption(values, 'mqtt-host') ?? base.mqtt.host,
      port: port(values, 'mqtt-port', base.mqtt.port),
      ...optional('edges', nonNegativeInteger(values, 'edges')),
      ...optional('messageRate', messageRate(values)),
      hostnames:
        Array.isArray(hostnames) && hostnames.length > 0
          ? hostnames.map(String)
          : base.mqtt.hostnames,
    },
    api: apiConfig(values, base.api),
    deviceApi: { port: port(values, 'device-port', base.deviceApi.port) },
    ...optional('entityUrl', entityUrl),
    ...optional('telemetryUrl', checkedUrl(values, 'telemetry-url', parseDynamoDbTelemetryUrl)),
    ...optional('blobUrl', checkedUrl(values, 'blob-url', parseS3BlobUrl)),
    ...optional('verifyThreads', nonNegativeInteger(values, 'verify-threads')),
    ...optional('retentionDays', nonNegativeInteger(values, 'retention-days')),
    ...optional('coldchainRetentionDays', nonNegativeInteger(values, 'coldchain-retention-days')),
    ...optional('otaTickMs', otaTickMs(values)),
    ...optional('paymentUrl', httpsUrl(values, 'payment-url')),
    ...optional('auditUrl', postgresUrl(values, 'audit-url')),
    ...optional('publicUrl', publicUrl(values)),
    ...vaultUrls(values),
    ...(stringOption(values, 'kms-key')
      ? {
          kms: {
            keyId: stringOption(values, 'kms-key')!,
            ...optional('region', stringOption(values, 'kms-region')),
          },
        }
      : {}),
    ...optional('queue', queueConfig(values)),
    ...(brokerUrl
      ? {
          externalBroker: {
            url: brokerUrl,
            ...optional('username', stringOption(values, 'broker-username')),
            ...optional('password', process.env['FLEETPLANE_BROKER_PASSWORD']),
            ...optional('caFile', stringOption(values, 'broker-ca')),
            ...optional('certFile', stringOption(values, 'broker-cert')),
            ...optional('keyFile', stringOption(values, 'broker-key')),
            ...optional('group', stringOption(values, 'share-group')),
          },
        }
      : {}),
  };
}

function role(values: OptionValues, brokerUrl: string | undefined): PlatformRole | undefined {
  const value = stringOption(values, 'role');
  if (value === undefined) return undefined;
  if (!(PLATFORM_ROLES as readonly string[]).includes(value)) {
    throw new UsageError(`--role must be one of ${PLATFORM_ROLES.join(', ')}, got '${value}'`);
  }
  if (value !== 'all' && brokerUrl === undefined) {
    throw new UsageError(
      `--role ${value} splits the work over processes that share an external broker: give --broker-url mqtts://HOST:PORT`,
    );
  }
  return value as PlatformRole;
}

function queueConfig(values: OptionValues): IngestQueueConfig | undefined {
  const url = stringOption(values, 'queue-url');
  const stream = stringOption(values, 'queue-stream');
  if (url === undefined) {
    if (stream !== undefined) throw new UsageError('--queue-stream names a stream of --queue-url');
    return undefined;
  }
  if (!/^nats:\/\/[^/:@\s]+(:\d{1,5})?\/?$/.test(url)) {
    throw new UsageError(
      `--queue-url must look like nats://HOST:4222 (a NATS server run with -js), got '${url}'`,
    );
  }
  if (stream !== undefined && !/^[A-Za-z0-9_-]{1,200}$/.test(stream)) {
    throw new UsageError(`--queue-stream is letters, digits, _ and -, got '${stream}'`);
  }
  return { url, ...(stream !== undefined ? { stream } : {}) };
}

function messageRate(values: OptionValues): MessageRate | false | undefined {
  const perSecond = nonNegativeInteger(values, 'message-rate');
  const burst = nonNegativeInteger(values, 'message-burst');
  if (perSecond === 0) {
    if (burst !== undefined)
      throw new UsageError('--message-rate 0 sets no limit: no --message-burst');
    return false;
  }
  if (burst === 0) throw new UsageError('--message-burst must be at least 1');
  if (perSecond === undefined && burst === undefined) return undefined;
  return {
    perSecond: perSecond ?? DEFAULT_MESSAGE_RATE.perSecond,
    burst: burst ?? DEFAULT_MESSAGE_RATE.burst,
  };
}

function apiConfig(values: OptionValues, base: PlatformConfig['api']): PlatformConfig['api'] {
  const host = stringOption(values, 'api-host') ?? base.host;
  const api = { host, port: port(values, 'api-port', base.port) };
  const certFile = stringOption(values, 'api-cert');
  const keyFile = stringOption(values, 'api-key');
  if (values['api-http'] === true) {
    if (certFile !== undefined || keyFile !== undefined) {
      throw new UsageError('--api-http serves no certificate: leave out --api-cert and --api-key');
    }
    if (!isLoopbackHost(host)) {
      throw new UsageError(
        `--api-http serves plain HTTP only on a loopback address (127.0.0.1, ::1, localhost), not on --api-host ${host}`,
      );
    }
    return { ...api, transport: { kind: 'http' } };
  }
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new UsageError('--api-cert and --api-key go together: the certificate and its key');
  }
  if (certFile !== undefined && keyFile !== undefined) {
    return {
      ...api,
      transport: { kind: 'operator', certFile: resolve(certFile), keyFile: resolve(keyFile) },
    };
  }
  return api;
}

function httpsUrl(values: OptionValues, name: string): string | undefined {
  const url = stringOption(values, name);
  if (url !== undefined && !/^https:\/\/[^/]+/.test(url)) {
    throw new UsageError(`--${name} must be an https:// URL, got '${url}'`);
  }
  return url;
}

/** Only the origin counts: the console is served at the root of its host. */
function publicUrl(values: OptionValues): string | undefined {
  const text = stringOption(values, 'public-url');
  if (text === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (
    !url ||
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    isIP(url.hostname.replace(/^\[|\]$/g, '')) !== 0
  ) {
    throw new UsageError(
      `--public-url must be an http(s) URL with a host name (passkeys take no IP address), got '${text}'`,
    );
  }
  return url.origin;
}

/** The URL as given, once its parser took it; its refusal as a usage error. */
function checkedUrl(
  values: OptionValues,
  name: string,
  parse: (url: string) => unknown,
): string | undefined {
  const url = stringOption(values, name);
  if (url === undefined) return undefined;
  try {
    parse(url);
  } catch (error) {
    throw new UsageError(`--${name}: ${(error as Error).message}`);
  }
  return url;
}

function postgresUrl(values: OptionValues, name: string): string | undefined {
  const url = stringOption(values, name);
  if (url !== undefined && !/^postgres(ql)?:\/\//.test(url)) {
    throw new UsageError(`--${name} must be a postgres:// URL`);
  }
  return url;
}

function vaultUrls(values: OptionValues): { vaultUrls?: Partial<Record<'us' | 'eu', string>> } {
  const us = postgresUrl(values, 'vault-url-us');
  const eu = postgresUrl(values, 'vault-url-eu');
  if (us !== undefined && us === eu) {
    throw new UsageError('--vault-url-us and --vault-url-eu must be different databases');
  }
  if (us === undefined && eu === undefined) return {};
  return { vaultUrls: { ...(us ? { us } : {}), ...(eu ? { eu } : {}) } };
}

const PORT_FLAG: Record<Listener, string> = {
  mqtt: '--mqtt-port',
  api: '--api-port',
  'device-api': '--device-port',
};

/** A taken port, said with the option that moves it; any other error unchanged. */
export function withPortHint(error: unknown): unknown {
  if (!(error instanceof PortInUseFailure)) return error;
  return new Failure(
    error.code,
    `${error.message}; ${PORT_FLAG[error.listener]} N picks another (0: any free port)`,
    { cause: error },
  );
}
