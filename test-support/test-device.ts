// A cold-chain sensor or a connected tool on an in-memory broker (FakeBroker, which checks each
// signature, schema and counter as ingest does) and a fake device API, in a temp directory.
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { DeviceClass } from '../src/contract/index.js';
import type { SimClock } from '../src/device/clock/sim-clock.js';
import type { DeviceCredentials } from '../src/device/link/device-link.js';
import { SoftwareKeystore } from '../src/device/secure-element/software-keystore.js';
import { FakeBroker } from './fake-broker.js';
import { FakeDeviceApi } from './fake-device-api.js';

export interface TestDeviceParts {
  readonly dir: string;
  readonly flashDir: string;
  readonly credentials: DeviceCredentials;
  readonly broker: FakeBroker;
  readonly api: FakeDeviceApi;
}

const madeDirs: string[] = [];

/**
 * A device's directory outlives the test that made it: a test may power the same device on again
 * from it, and its `after` hooks (run in the order added) would remove it before the device
 * powers off. So the directories go when the test file's process exits.
 */
async function madeDir(deviceClass: DeviceClass): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `${deviceClass}-`));
  if (madeDirs.length === 0) {
    process.once('exit', () => {
      for (const made of madeDirs) rmSync(made, { recursive: true, force: true });
    });
  }
  madeDirs.push(dir);
  return dir;
}

/** Keys, a broker and a device API for one device; `dir` again gives the same device back. */
export async function testDeviceParts(
  t: TestContext,
  deviceClass: DeviceClass,
  options: { deviceId?: string; dir?: string } = {},
): Promise<TestDeviceParts> {
  const dir = options.dir ?? (await madeDir(deviceClass));
  void t;
  const deviceId = options.deviceId ?? (deviceClass === 'tool' ? 'TOOL-0001' : 'CC-0001');
  const keystore =
    (await SoftwareKeystore.open(join(dir, 'se'))) ??
    (await SoftwareKeystore.create(join(dir, 'se')));
  const broker = new FakeBroker(deviceId, keystore.publicKeySpki());
  const api = new FakeDeviceApi();
  api.registerDevice(deviceId, keystore.publicKeySpki());
  return {
    dir,
    flashDir: join(dir, 'flash'),
    credentials: { deviceId, deviceClass, secureElement: keystore, certChainPem: '', trustPem: '' },
    broker,
    api,
  };
}

/** Resolves once `check` holds, letting simulated and real time pass; fails after `ms` real. */
export async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export type { SimClock };
