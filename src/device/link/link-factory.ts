import {
  topics,
  type CommandRequest,
  type ErrorFeedback,
  type OtaJob,
  type ShadowDesired,
} from '../../contract/index.js';
import { DeviceLink, type DeviceCredentials } from './device-link.js';

/** What the cloud sends a device, handed up by a connection. */
export interface LinkHandlers {
  command(request: CommandRequest): void;
  desired(document: ShadowDesired): void;
  /** An OTA job on jobs/<id>/notify, as it arrived (the device validates it). */
  job(document: OtaJob): void;
  rejected(feedback: ErrorFeedback): void;
  /** The connection is gone (network, broker, or closed by us). */
  down(): void;
}

/** One MQTT connection over one bearer (a cart's WiFi or LTE-M, a sensor's cellular link). */
export interface LinkConnection {
  /** Resolves on the broker's PUBACK. */
  publish(topic: string, payload: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens connections; the real one is MQTT over mutual TLS, tests use an in-memory one.
 * `trustPem`: the fleet roots the device trusts now (both during a CA rotation), which replace the
 * provisioned ones for this connection.
 */
export interface LinkFactory<Bearer extends string = string> {
  connect(bearer: Bearer, handlers: LinkHandlers, trustPem?: string): Promise<LinkConnection>;
}

/**
 * The broker over DeviceLink. Both radios reach the same broker; which radio carries the
 * connection is the uplink's choice, and switching radio means a new connection. mqtt.js's own
 * reconnect is off so the firmware decides when and over what to come back.
 */
export function mqttLinkFactory(url: string, credentials: DeviceCredentials): LinkFactory {
  const id = credentials.deviceId;
  return {
    async connect(_bearer, handlers, trustPem) {
      const trusted = trustPem ? { ...credentials, trustPem } : credentials;
      const link = await DeviceLink.connect(url, trusted, {
        clean: false,
        reconnect: false,
        connectTimeoutMs: 5000,
        onMessage: (topic, payload) => {
          let body: unknown;
          try {
            body = JSON.parse(payload.toString('utf8'));
          } catch {
            return;
          }
          if (topic === topics.commandRequest(id)) handlers.command(body as CommandRequest);
          else if (topic === topics.shadowDesired(id)) handlers.desired(body as ShadowDesired);
          else if (topic === topics.jobNotify(id)) handlers.job(body as OtaJob);
          else if (topic === topics.errors(id)) handlers.rejected(body as ErrorFeedback);
        },
      });
      link.onClose(() => handlers.down());
      if (!link.client.connected) handlers.down();
      return {
        publish: (topic, payload) => link.sendRaw(topic, payload),
        close: () => link.client.endAsync(true),
      };
    },
  };
}
