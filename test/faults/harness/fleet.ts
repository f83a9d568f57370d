// A data directory with a fleet CA, one store and provisioned carts, made through the CLI's own
// commands (in this process: provisioning is file work, no platform needed) before the platform
// first starts.
import { join } from 'node:path';
import type { CommandIo } from '../../../src/cli/command.js';
import { identityCommands } from '../../../src/cli/identity/index.js';
import { main } from '../../../src/cli/main.js';
import type { DeviceClass } from '../../../src/contract/index.js';
import {
  loadProvisionedDevice,
  type DeviceCredentials,
} from '../../../src/device/link/device-link.js';

export const FAULT_STORE = 'fault-1';

async function cli(...argv: string[]): Promise<void> {
  const lines: string[] = [];
  const io: CommandIo = { out: (l) => lines.push(l), err: (l) => lines.push(l) };
  const code = await main(argv, io, identityCommands());
  if (code !== 0)
    throw new Error(`fleetplane ${argv.join(' ')} failed (${code}):\n${lines.join('\n')}`);
}

export interface FaultFleet {
  readonly dataDir: string;
  readonly devices: readonly DeviceCredentials[];
}

/** Creates DIR with a CA, the store fault-1 and `count` devices of `deviceClass`. */
export async function provisionFleet(
  dataDir: string,
  count: number,
  deviceClass: DeviceClass = 'cart',
): Promise<FaultFleet> {
  await cli('ca', 'init', '--data', dataDir);
  await cli(
    'store',
    'add',
    '--data',
    dataDir,
    '--id',
    FAULT_STORE,
    '--name',
    'Faults',
    '--region',
    'eu',
  );
  const devices: DeviceCredentials[] = [];
  for (let i = 1; i <= count; i++) {
    const serial = `FAULT-${String(i).padStart(4, '0')}`;
    const out = join(dataDir, 'fault-devices', serial);
    await cli(
      'provision',
      '--data',
      dataDir,
      '--serial',
      serial,
      '--store',
      FAULT_STORE,
      '--class',
      deviceClass,
      '--out',
      out,
    );
    devices.push(await loadProvisionedDevice(out));
  }
  return { dataDir, devices };
}
