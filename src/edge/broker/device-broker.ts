import type { DeviceClass } from '../../contract/index.js';
import type { InboundMessage } from '../../pipeline/ingest/ingest-pipeline.js';

/**
 * Called for every message a device publishes. The broker acknowledges the message (QoS 1
 * PUBACK) when the returned promise resolves, and leaves it unacknowledged (the device re-sends)
 * when it rejects.
 */
export type DeviceMessageHandler = (message: InboundMessage) => Promise<unknown>;

export interface PublishOptions {
  readonly retain?: boolean;
}

export interface ConnectedDevice {
  readonly deviceId: string;
  readonly storeId: string;
  readonly deviceClass: DeviceClass;
  readonly certSerialHex: string;
}

export interface ConnectionListener {
  connected?(device: ConnectedDevice, at: number): void;
  disconnected?(device: ConnectedDevice, at: number): void;
  /**
   * The device subscribed to topics its broker session did not hold (a new session: the first
   * connection, or the first after the embedded broker restarted and forgot its sessions).
   */
  subscribed?(device: ConnectedDevice, topics: readonly string[], at: number): void;
}

/**
 * The broker port: the embedded broker (our own MQTT server) and an external MQTT broker
 * (Mosquitto, EMQX…) both deliver device messages to the same handler and carry the platform's
 * messages to devices.
 */
export interface DeviceBroker {
  /** Starts listening or connecting; resolves with where devices connect. */
  start(): Promise<{ readonly url: string }>;
  /**
   * Sends a cloud-to-device document (errors, commands, shadow, jobs) at QoS 1. `retain` keeps it
   * on the broker for the next subscriber (the shadow's desired document, so a device that
   * reconnects gets it).
   */
  publish(topic: string, payload: Buffer, options?: PublishOptions): Promise<void>;
  /** Stops taking messages; those not yet acknowledged stay with the devices. */
  close(): Promise<void>;
}
