import { analyticsCommands } from './analytics/index.js';
import { backupCommands } from './backup/index.js';
import type { Command } from './command.js';
import { costCommands } from './cost/index.js';
import { customerCommands } from './customers/index.js';
import { deviceCommands } from './device/index.js';
import { entityCommands } from './entities/index.js';
import { identityCommands } from './identity/index.js';
import { paymentCommands } from './payment/index.js';
import { platformCommands } from './platform/index.js';
import { powerCommands } from './power/index.js';
import { observabilityCommands } from './observability/index.js';
import { operatorCommands } from './operator/index.js';
import { otaCommands } from './ota/index.js';
import { maskCommands } from './privacy/index.js';
import { radioCommands } from './radio/index.js';
import { retentionCommands } from './retention/index.js';
import { simCommands } from './sim/index.js';

/** Every command of the `fleetplane` CLI; each capability contributes its own. */
export const allCommands: readonly Command[] = [
  ...identityCommands(),
  ...platformCommands(),
  ...deviceCommands(),
  ...entityCommands(),
  ...customerCommands(),
  ...maskCommands(),
  ...analyticsCommands(),
  ...simCommands(),
  ...paymentCommands(),
  ...otaCommands(),
  ...operatorCommands(),
  ...observabilityCommands(),
  ...costCommands(),
  ...powerCommands(),
  ...radioCommands(),
  ...backupCommands(),
  ...retentionCommands(),
];
