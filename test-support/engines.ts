import type { TestContext } from 'node:test';
import { spawnSync } from 'node:child_process';

/**
 * Engine-backed tests run against real servers and binaries. On a machine without them they skip
 * with a reason; CI sets FLEETPLANE_REQUIRE_ENGINES=1 and then a missing engine fails the test.
 */
export const enginesRequired = process.env['FLEETPLANE_REQUIRE_ENGINES'] === '1';

/**
 * Returns true when the engine is there. Otherwise skips the test (returning false) or, when
 * engines are required, throws so the test fails with the reason.
 */
export function needEngine(t: TestContext, available: boolean, reason: string): boolean {
  if (available) return true;
  if (enginesRequired) throw new Error(`required engine missing: ${reason}`);
  t.skip(`${reason} (set FLEETPLANE_REQUIRE_ENGINES=1 to make this a failure)`);
  return false;
}

/** True when `command` runs on this machine (e.g. `openssl version`). */
export function hasBinary(command: string, args: readonly string[] = ['version']): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return result.error === undefined && result.status === 0;
}
