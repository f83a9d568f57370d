import { access, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DeviceClass } from '../../contract/index.js';
import { SoftwareKeystore } from '../../device/secure-element/software-keystore.js';
import type { CartIdentity } from '../../device/sim/fleet-types.js';
import { openIdentity, provisionDevice, type Clock } from '../../edge/identity/index.js';
import { OUTPUT_FILES, writeProvisionOutput } from '../identity/provision-output.js';

/** The serial of the simulator's `index`th cart (from 1) in a store. */
export function simSerial(storeId: string, index: number): string {
  return `sim-${storeId.slice(0, 48)}-${String(index).padStart(5, '0')}`;
}

/** Serials of the other classes carry a class tag: `sim-<store>-cc-00001`, `sim-<store>-tl-00001`. */
const CLASS_TAG: Record<DeviceClass, string> = { cart: '', coldchain: 'cc-', tool: 'tl-' };

export function simClassSerial(storeId: string, deviceClass: DeviceClass, index: number): string {
  const tag = CLASS_TAG[deviceClass];
  return `sim-${storeId.slice(0, 48)}-${tag}${String(index).padStart(5, '0')}`;
}

/** DIR/sim/<store>/<serial>: what `provision --out` writes, with the cart's flash beside it. */
export function simCartDir(dataDir: string, storeId: string, serial: string): string {
  return join(resolve(dataDir), 'sim', storeId, serial);
}

export interface ProvisionFleetResult {
  readonly identities: CartIdentity[];
  readonly issued: number;
  readonly reused: number;
}

/**
 * Gives each of `count` carts its own identity from the fleet CA in DIR, reusing what an earlier
 * run provisioned (a cart directory with a key, a certificate and device.json is taken as is, as
 * `fleetplane provision` would find it unchanged). New carts are provisioned in parallel through
 * the library call `provision` makes, on one identity context, instead of one CLI command each.
 */
export async function provisionFleet(
  dataDir: string,
  storeId: string,
  count: number,
  options: {
    now: Clock;
    concurrency?: number;
    onProgress?: (done: number) => void;
    /** Default cart. */
    deviceClass?: DeviceClass;
  },
): Promise<ProvisionFleetResult> {
  const ctx = openIdentity(dataDir, { now: options.now });
  const identities: CartIdentity[] = [];
  let issued = 0;
  let reused = 0;
  let next = 0;
  let done = 0;
  const one = async (index: number) => {
    const deviceClass = options.deviceClass ?? 'cart';
    const serial = simClassSerial(storeId, deviceClass, index);
    const dir = simCartDir(dataDir, storeId, serial);
    const identity = { serial, credentialsDir: dir, flashDir: join(dir, 'flash') };
    identities[index - 1] = identity;
    if (await provisioned(dir)) {
      reused++;
    } else {
      await mkdir(identity.flashDir, { recursive: true });
      const keystore = (await SoftwareKeystore.open(dir)) ?? (await SoftwareKeystore.create(dir));
      const csr = await keystore.createCsr({ commonName: serial });
      const result = await provisionDevice(ctx, {
        serial,
        store: storeId,
        deviceClass,
        csr,
      });
      await writeProvisionOutput(dir, result);
      issued++;
    }
    await mkdir(identity.flashDir, { recursive: true });
    options.onProgress?.(++done);
  };
  const worker = async () => {
    while (next < count) await one(++next);
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, count) }, worker));
  return { identities, issued, reused };
}

async function provisioned(dir: string): Promise<boolean> {
  const files = [
    OUTPUT_FILES.key,
    OUTPUT_FILES.cert,
    OUTPUT_FILES.chain,
    OUTPUT_FILES.trust,
    OUTPUT_FILES.json,
  ];
  try {
    await Promise.all(files.map((f) => access(join(dir, f))));
    return true;
  } catch {
    return false;
  }
}
