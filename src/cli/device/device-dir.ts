import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  DeviceLink,
  loadProvisionedDevice,
  type DeviceCredentials,
} from '../../device/link/device-link.js';
import { Failure } from '../../shared/failure.js';
import { readPlatformLock } from '../../stores/data-dir/index.js';
import { stringOption, UsageError, type OptionValues } from '../command.js';

export type DeviceCliErrorCode =
  'not-a-device-dir' | 'platform-not-running' | 'connection-refused' | 'rejected';

export class DeviceCliFailure extends Failure<DeviceCliErrorCode> {}

/** What `fleetplane provision --out DIR` wrote: the device's certificate, key, chain and trust. */
export async function loadDeviceDir(
  values: OptionValues,
): Promise<{ dir: string; device: DeviceCredentials }> {
  const dir = resolve(stringOption(values, 'device') ?? '');
  for (const file of [
    'device.json',
    'device.cert.pem',
    'device.key.pem',
    'chain.pem',
    'trust.pem',
  ]) {
    if (!existsSync(join(dir, file))) {
      throw new DeviceCliFailure(
        'not-a-device-dir',
        `${dir} has no ${file}: --device is the directory 'fleetplane provision --out' wrote`,
      );
    }
  }
  return { dir, device: await loadProvisionedDevice(dir) };
}

/** The broker to publish to: --mqtt, or the one the platform running on --data announced. */
export async function brokerUrl(values: OptionValues): Promise<string> {
  const given = stringOption(values, 'mqtt');
  if (given !== undefined) return given;
  const data = stringOption(values, 'data');
  if (data === undefined) {
    throw new UsageError('--data DIR (of the running platform) or --mqtt URL is required');
  }
  const lock = await readPlatformLock(data);
  if (!lock?.mqttUrl) {
    throw new DeviceCliFailure(
      'platform-not-running',
      `no platform is running on ${resolve(data)}; start it (fleetplane start --data ${data}) or pass --mqtt URL`,
    );
  }
  return lock.mqttUrl;
}

/**
 * The device's own connection: mutual TLS with its certificate, client id = its serial, a clean
 * session (nothing queued for it is taken away from a later run), its error topic subscribed
 * before anything is published.
 */
export async function connectDevice(url: string, device: DeviceCredentials): Promise<DeviceLink> {
  try {
    return await DeviceLink.connect(url, device, { clean: true, reconnect: false });
  } catch (error) {
    throw new DeviceCliFailure(
      'connection-refused',
      `${device.deviceId} could not connect to ${url}: ${error instanceof Error ? error.message.replace(/^could not connect to \S+: /, '') : String(error)}`,
    );
  }
}
