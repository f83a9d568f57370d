// The start every platform scenario shares: a fleet provisioned in the scenario's directory and
// the platform on it as a child process, on ports that stay the same across restarts.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DeviceClass } from '../../../src/contract/index.js';
import type { ScenarioContext } from '../scenario.js';
import { provisionFleet, type FaultFleet } from './fleet.js';
import { freePorts, PlatformProcess } from './platform-process.js';

const built = fileURLToPath(new URL('../../../dist/cli/main.js', import.meta.url));

/** Why the platform cannot be run as a child process here, if it cannot. */
export function platformUnavailable(): string | undefined {
  return existsSync(built) ? undefined : 'the platform is not built (npm run build)';
}

export interface ScenarioPlatform {
  readonly fleet: FaultFleet;
  readonly platform: PlatformProcess;
}

export async function scenarioPlatform(
  context: ScenarioContext,
  devices: number,
  options: { deviceClass?: DeviceClass; extraArgs?: readonly string[] } = {},
): Promise<ScenarioPlatform> {
  const dataDir = join(context.workDir, 'data');
  context.log(`provisioning ${devices} devices`);
  const fleet = await provisionFleet(dataDir, devices, options.deviceClass);
  const platform = new PlatformProcess({
    dataDir,
    ports: await freePorts(),
    logFile: join(context.workDir, 'platform.log'),
    ...(options.extraArgs ? { extraArgs: options.extraArgs } : {}),
  });
  return { fleet, platform };
}

/** A figure in milliseconds, rounded, or a list of them. */
export function ms(values: number | readonly number[]): string | number {
  return typeof values === 'number'
    ? Math.round(values)
    : values.map((v) => Math.round(v)).join(', ');
}
