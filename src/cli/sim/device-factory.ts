import type { KeyObject } from 'node:crypto';
import { ColdchainSensor } from '../../device/coldchain/coldchain-sensor.js';
import { httpsDeviceApi } from '../../device/cart/device-api-client.js';
import { loadProvisionedDevice } from '../../device/link/device-link.js';
import { mqttLinkFactory } from '../../device/link/link-factory.js';
import type { DeviceFleetOptions } from '../../device/sim/device-fleet.js';
import { ConnectedTool } from '../../device/tool/connected-tool.js';

export interface SimDeviceOptions {
  readonly mqttUrl: string;
  /** The device API: the tools' seal key, and OTA downloads. */
  readonly deviceApiUrl?: string;
  readonly firmwareSigningKey?: KeyObject;
  /** Seconds between sensor readings (default: the class's 5 minutes). */
  readonly sensorIntervalS?: number;
}

/** The one place `fleetplane sim` gets its cold-chain sensors and tools: the device models. */
export function simDevices(
  options: SimDeviceOptions,
): Pick<DeviceFleetOptions, 'createSensor' | 'createTool'> {
  const common = async (credentialsDir: string) => {
    const credentials = await loadProvisionedDevice(credentialsDir);
    return {
      credentials,
      link: mqttLinkFactory(options.mqttUrl, credentials),
      // One client for the seal key, the server-time challenge and firmware, over mutual TLS.
      ...(options.deviceApiUrl
        ? { deviceApi: httpsDeviceApi(options.deviceApiUrl, credentials) }
        : {}),
      ...(options.firmwareSigningKey ? { firmwareSigningKey: options.firmwareSigningKey } : {}),
      flashSync: false,
    };
  };
  return {
    async createSensor({ identity, clock, observer, random, reefer }) {
      return ColdchainSensor.create({
        ...(await common(identity.credentialsDir)),
        flashDir: identity.flashDir,
        clock,
        observer,
        random,
        reefer,
        ...(options.sensorIntervalS ? { defaultIntervalS: options.sensorIntervalS } : {}),
      });
    },
    async createTool({ identity, clock, observer, random }) {
      return ConnectedTool.create({
        ...(await common(identity.credentialsDir)),
        flashDir: identity.flashDir,
        clock,
        observer,
        random,
      });
    },
  };
}
