import { LocalKeyring } from '../../stores/keys/index.js';
import type { Command } from '../command.js';
import { maskJobCommands, type MaskCommandDeps } from './mask-commands.js';
import { saltCommands } from './salt-commands.js';
import { exportCommands } from './export-commands.js';

/** The `fleetplane mask …` and `export tool-telemetry` commands; tests pass a clock and a non-interactive terminal. */
export function maskCommands(options: Partial<MaskCommandDeps> = {}): Command[] {
  const now = options.now ?? (() => new Date());
  const deps: MaskCommandDeps = {
    now,
    keys: options.keys ?? ((dir) => new LocalKeyring(dir, now)),
    interactive: options.interactive ?? process.stderr.isTTY === true,
  };
  return [...maskJobCommands(deps), ...saltCommands(deps), ...exportCommands(deps)];
}
