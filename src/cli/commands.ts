import type { Command } from './command.js';
import { customerCommands } from './customers/index.js';
import { deviceCommands } from './device/index.js';
import { entityCommands } from './entities/index.js';
import { identityCommands } from './identity/index.js';
import { paymentCommands } from './payment/index.js';
import { platformCommands } from './platform/index.js';
import { observabilityCommands } from './observability/index.js';
import { operatorCommands } from './operator/index.js';
import { otaCommands } from './ota/index.js';
import { maskCommands } from './privacy/index.js';
import { simCommands } from './sim/index.js';

/** Every command of the `fleetplane` CLI; each capability contributes its own. */
export const allCommands: readonly Command[] = [
  ...identityCommands(),
  ...platformCommands(),
  ...deviceCommands(),
  ...entityCommands(),
  ...customerCommands(),
  ...maskCommands(),
  ...simCommands(),
  ...paymentCommands(),
  ...otaCommands(),
  ...operatorCommands(),
  ...observabilityCommands(),
];
