import type { RefusalTally } from '../edge/broker/refusal-tally.js';
import type { FleetCa, IdentityContext, RevocationWatcher } from '../edge/identity/index.js';
import type {
  ConnectionListener,
  DeviceBroker,
  DeviceMessageHandler,
} from '../edge/broker/device-broker.js';
import { EmbeddedBroker } from '../edge/broker/embedded-broker.js';
import { ExternalBrokerSource } from '../edge/broker/external-broker.js';
import type { ServerIdentity } from '../edge/broker/server-identity.js';
import type { RegistryDeviceDirectory } from '../pipeline/ingest/device-directory.js';
import type { Logger } from '../shared/observability/logger.js';
import type { PlatformMetrics } from '../shared/observability/metrics.js';
import type { EntityStore } from '../stores/entities/entity-store.js';
import { connectionRecorder } from './connection-wiring.js';
import type { LiveWiring } from './live-wiring.js';
import type { PlatformConfig } from './platform-config.js';
import type { PlatformLayout } from './platform-layout.js';

/** The embedded mutual-TLS broker, or the consumer of an external one (--broker-url). */
export function createBroker(options: {
  readonly config: PlatformConfig;
  readonly layout: PlatformLayout;
  readonly identity: IdentityContext;
  readonly ca: FleetCa;
  readonly revocations: RevocationWatcher;
  readonly server: ServerIdentity;
  readonly handler: DeviceMessageHandler;
  readonly entities: EntityStore;
  readonly directory: RegistryDeviceDirectory;
  readonly live: LiveWiring['bus'];
  readonly metrics: PlatformMetrics;
  readonly log: Logger;
  readonly now: () => number;
  readonly refusals: RefusalTally;
  /** A device subscribed to topics its session did not hold (embedded broker only). */
  readonly subscribed?: ConnectionListener['subscribed'];
}): DeviceBroker {
  const { config, layout, identity, ca, handler, log, now } = options;
  if (config.externalBroker) {
    return new ExternalBrokerSource({
      // `--role api` only publishes (commands, jobs, feedback): the ingest processes consume.
      config:
        config.role === 'api'
          ? { ...config.externalBroker, connections: 0 }
          : config.externalBroker,
      ...{ layout, identity, ca, handler, log, now },
    });
  }
  return new EmbeddedBroker({
    host: config.mqtt.host,
    port: config.mqtt.port,
    edges: config.mqtt.edges ?? 0,
    ...(config.mqtt.messageRate !== undefined ? { messageRate: config.mqtt.messageRate } : {}),
    ...{ identity, ca, handler, log, now },
    revocations: options.revocations,
    server: options.server,
    metrics: options.metrics,
    refusals: options.refusals,
    connections: {
      ...connectionRecorder({
        entities: options.entities,
        directory: options.directory,
        live: options.live,
        log,
        stores: identity.stores,
      }),
      ...(options.subscribed ? { subscribed: options.subscribed } : {}),
    },
  });
}
