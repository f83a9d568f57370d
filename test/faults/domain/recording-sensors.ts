// Cold-chain sensors (the device model: DeviceRuntime's CommandBook and FirmwareUpdater) whose
// links record every command, desired document and OTA job the cloud delivers, by connection,
// and whose observers keep every message they create: what the domain fault scenarios count.
import { join } from 'node:path';
import type { DeviceMessage } from '../../../src/contract/index.js';
import { httpsDeviceApi } from '../../../src/device/cart/device-api-client.js';
import { ScaledClock } from '../../../src/device/clock/sim-clock.js';
import { ColdchainSensor } from '../../../src/device/coldchain/coldchain-sensor.js';
import { Reefer } from '../../../src/device/coldchain/reefer.js';
import { loadProvisionedDevice } from '../../../src/device/link/device-link.js';
import { mqttLinkFactory, type LinkFactory } from '../../../src/device/link/link-factory.js';
import { mulberry32 } from '../../../src/device/random.js';
import { loadFirmwareSigningPublicKey } from '../../../src/domain/ota/signing/index.js';

/** One delivery: `command <id>`, `desired <version>` or `job <id>`, on the device's n-th connection. */
export interface Delivery {
  readonly deviceId: string;
  readonly connection: number;
  readonly what: string;
}

export interface RecordingSensors {
  readonly sensors: readonly ColdchainSensor[];
  readonly deliveries: Delivery[];
  readonly created: DeviceMessage[];
  powerOn(): Promise<void>;
  powerOff(): Promise<void>;
}

function recording(deviceId: string, factory: LinkFactory, deliveries: Delivery[]): LinkFactory {
  let connections = 0;
  return {
    connect: (bearer, handlers, trustPem) => {
      const connection = connections++;
      const seen = (what: string) => deliveries.push({ deviceId, connection, what });
      return factory.connect(
        bearer,
        {
          ...handlers,
          command: (r) => (seen(`command ${r.command_id}`), handlers.command(r)),
          desired: (d) => (seen(`desired ${d.version}`), handlers.desired(d)),
          job: (j) => (seen(`job ${j.job_id}`), handlers.job(j)),
        },
        trustPem,
      );
    },
  };
}

/**
 * Sensors for the provisioned device directories, on the platform at these URLs (a restart on the
 * same ports keeps them valid). The clock runs 60× so an installed image is judged quickly.
 */
export async function recordingSensors(
  data: string,
  dirs: readonly string[],
  urls: { readonly mqttUrl: string; readonly deviceApiUrl: string },
): Promise<RecordingSensors> {
  const deliveries: Delivery[] = [];
  const created: DeviceMessage[] = [];
  const firmwareSigningKey = await loadFirmwareSigningPublicKey(data);
  const clock = new ScaledClock({ speed: 60 });
  const sensors = await Promise.all(
    dirs.map(async (dir, i) => {
      const credentials = await loadProvisionedDevice(dir);
      return ColdchainSensor.create({
        credentials,
        flashDir: join(dir, 'flash'),
        clock,
        link: recording(
          credentials.deviceId,
          mqttLinkFactory(urls.mqttUrl, credentials),
          deliveries,
        ),
        deviceApi: httpsDeviceApi(urls.deviceApiUrl, credentials),
        firmwareSigningKey,
        reefer: new Reefer({ start: clock.now(), setPointC: -18, ambientMeanC: 20 }),
        random: mulberry32(i + 1),
        flashSync: false,
        observer: { created: (m) => void created.push(m) },
      });
    }),
  );
  return {
    sensors,
    deliveries,
    created,
    powerOn: async () => void (await Promise.all(sensors.map((s) => s.powerOn()))),
    powerOff: async () => void (await Promise.all(sensors.map((s) => s.powerOff()))),
  };
}
