import type { MessageRate } from '../edge/broker/message-rate.js';

/** How to run the platform: every field has an embedded default (see DEFAULT_CONFIG). */
export interface PlatformConfig {
  readonly dataDir: string;
  /**
   * What this process runs (decision 059): everything (default); `api`, everything but consuming
   * from the external broker; `ingest`, only a shared-subscription member that verifies and stores.
   */
  readonly role?: PlatformRole;
  readonly mqtt: {
    /** Address the embedded broker listens on. */
    readonly host: string;
    readonly port: number;
    /** Names devices use to reach the broker: the server certificate carries them all. */
    readonly hostnames: readonly string[];
    /**
     * Edge processes that hold the device connections (decision 032); 0 or absent: the platform
     * process holds them. A process may hold up to its file-descriptor limit of devices.
     */
    readonly edges?: number;
    /**
     * How fast one device may publish (decision 052): past it the broker reads its connection
     * more slowly. `false`: no limit. Default 20 a second after a burst of 1,000.
     */
    readonly messageRate?: MessageRate | false;
  };
  /**
   * The ingest queue between the broker and the store (decision 055); absent: none, the broker's
   * handler stores before the PUBACK.
   */
  readonly queue?: IngestQueueConfig;
  /** Consume from an external broker (Mosquitto, EMQX) instead of running the embedded one. */
  readonly externalBroker?: ExternalBrokerConfig;
  readonly api: {
    readonly host: string;
    readonly port: number;
    /** How the API is served; HTTPS with a certificate from the fleet CA when absent. */
    readonly transport?: ApiTransportConfig;
  };
  /**
   * The device API (HTTPS, mutual TLS): carts fetch their catalog here. Devices reach it where
   * they reach the broker, so it listens on the broker's address and its certificate.
   */
  readonly deviceApi: { readonly port: number };
  /** A PostgreSQL URL for the entity store; PGlite under DIR when absent. */
  readonly entityUrl?: string;
  /** DynamoDB for telemetry, `dynamodb://HOST:PORT/TABLE` (decision 054); SQLite under DIR otherwise. */
  readonly telemetryUrl?: string;
  /** S3 for firmware, receipts and archives, `s3://BUCKET?endpoint=URL`; a directory under DIR otherwise. */
  readonly blobUrl?: string;
  /** A PostgreSQL database per region for the PII vault; PGlite under DIR/vault otherwise. */
  readonly vaultUrls?: Partial<Record<'us' | 'eu', string>>;
  /** A PostgreSQL URL for the audit log; SQLite under DIR/audit otherwise. */
  readonly auditUrl?: string;
  /**
   * The isolated payment service (`fleetplane payment serve`), reached with the payment bridge's
   * client certificate from DIR/payment-bridge. Without it, card taps stay guests and checkouts
   * wait in 'payment-unavailable' until it is configured.
   */
  readonly paymentUrl?: string;
  /** AWS KMS for data keys instead of the local keyring under DIR/keys. */
  readonly kms?: { readonly keyId: string; readonly region?: string; readonly endpoint?: string };
  readonly retentionDays?: number;
  /** Days a shipment's readings and excursions are kept (decision 046); default 90, as the seed. */
  readonly coldchainRetentionDays?: number;
  /** Threads verifying signatures; 0 verifies on the main thread. Default: one per core. */
  readonly verifyThreads?: number;
  readonly revocationPollMs?: number;
  /** How often the rollout engine sends due jobs and judges stages; default 30 s. */
  readonly otaTickMs?: number;
  /** How often devices silent past their profile's limit are looked for (30 s by default). */
  readonly alarmSweepMs?: number;
  /** How often the metric history (DIR/metrics/history.db) takes a sample; default 60 s. */
  readonly metricSampleMs?: number;
  /** How often webhook retries that fell due are looked for; default 5 s (new events go at once). */
  readonly webhookPollMs?: number;
  /** The first retry wait of an integration's delivery, doubling to 5 min; default 1 s (tests shorten it). */
  readonly integrationRetryBaseMs?: number;
  /** The comment line that keeps a live stream open through proxies; default 15 s. */
  readonly streamHeartbeatMs?: number;
  /**
   * Where browsers reach the console, when not at the API's own port on `localhost` (a proxy, a
   * real host name): passkeys are registered for its host, and sign-in links point at it.
   */
  readonly publicUrl?: string;
}

/**
 * HTTPS with a server certificate the platform issues from the fleet CA (clients trust
 * DIR/ca/trust-bundle.pem), HTTPS with the operator's certificate and key (PEM files, the
 * certificate file may hold the chain), or plain HTTP, which only a loopback address may serve.
 */
export type ApiTransportConfig =
  | { readonly kind: 'fleet-ca' }
  | { readonly kind: 'operator'; readonly certFile: string; readonly keyFile: string }
  | { readonly kind: 'http' };

export const PLATFORM_ROLES = ['all', 'api', 'ingest'] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

export interface ExternalBrokerConfig {
  /** mqtts://host:port (or mqtt:// for a broker on the same host). */
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** PEM files for mutual TLS to the broker; defaults: an ingest certificate issued from DIR. */
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  /** Shared-subscription group: ingest processes in one group split the load. */
  readonly group?: string;
  readonly clientId?: string;
  /** Connections in the shared subscription; 0: publish only (`--role api`). Default 16. */
  readonly connections?: number;
}

export interface IngestQueueConfig {
  /** nats://host:port of a NATS server with JetStream. */
  readonly url: string;
  /** The work stream's name (default FLEETPLANE_INGEST); platforms sharing it share the work. */
  readonly stream?: string;
  /** Failed store attempts before a message goes to the dead-letter stream (default 5). */
  readonly maxDeliveries?: number;
}

export const DEFAULT_MQTT_PORT = 8883;
export const DEFAULT_API_PORT = 8080;
export const DEFAULT_DEVICE_API_PORT = 8443;

export function defaultConfig(dataDir: string): PlatformConfig {
  return {
    dataDir,
    mqtt: { host: '0.0.0.0', port: DEFAULT_MQTT_PORT, hostnames: ['localhost', '127.0.0.1'] },
    api: { host: '127.0.0.1', port: DEFAULT_API_PORT },
    deviceApi: { port: DEFAULT_DEVICE_API_PORT },
  };
}
