// A fleet data directory for a scenario (a CA, one store, carts provisioned), made through the
// same commands an operator runs, without node:test so `npm run faults` can use it too.
import { join } from 'node:path';
import { identityCommands } from '../../../src/cli/identity/index.js';
import { main } from '../../../src/cli/main.js';
import { provisionFleet } from '../../../src/cli/sim/provision-fleet.js';
import type { CartIdentity } from '../../../src/device/sim/fleet-types.js';

export const FAULT_STORE = 'berlin-1';

/** The store the fault fleets shop in, as the simulator takes it. */
export const FAULT_SITE = {
  storeId: FAULT_STORE,
  currency: 'EUR',
  geofence: { lat: 52.52, lon: 13.405, radiusM: 150 },
} as const;

async function run(...argv: string[]): Promise<void> {
  const lines: string[] = [];
  const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
  const code = await main(argv, io, identityCommands());
  if (code !== 0)
    throw new Error(`fleetplane ${argv.join(' ')} failed (${code}):\n${lines.join('\n')}`);
}

/** DIR/data with a CA, the store berlin-1 and `carts` provisioned carts. */
export async function fleetDir(
  workDir: string,
  carts: number,
): Promise<{ data: string; identities: CartIdentity[] }> {
  const data = join(workDir, 'data');
  await run('ca', 'init', '--data', data);
  await run(
    'store',
    'add',
    '--data',
    data,
    '--id',
    FAULT_STORE,
    '--name',
    'Berlin 1',
    '--region',
    'eu',
  );
  const { identities } = await provisionFleet(data, FAULT_STORE, carts, { now: () => new Date() });
  return { data, identities };
}
