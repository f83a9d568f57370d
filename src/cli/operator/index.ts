import type { Command } from '../command.js';
import { alarmsCommands } from './alarms-commands.js';
import { alertsCommands } from './alerts-commands.js';
import { auditCommand } from './audit-command.js';
import { commandLedgerCommands } from './command-ledger-commands.js';
import { devicesCommands } from './devices-commands.js';
import { fleetHealthCommands } from './fleet-health-commands.js';
import { integrationsCommands } from './integrations-commands.js';
import { rolloutsCommands } from './rollouts-commands.js';
import { rulesCommands } from './rules-commands.js';
import { shadowCommands } from './shadow-commands.js';
import { storesCommands } from './stores-commands.js';
import { shipmentsCommands } from './shipments-commands.js';
import { toolsCommands } from './tools-commands.js';

/**
 * The operator's terminal: read and act on a running platform through its API (plural groups),
 * where `store`, `ca`, `provision`… (singular) work on a data directory's records.
 */
export function operatorCommands(): Command[] {
  return [
    ...devicesCommands(),
    ...storesCommands(),
    ...rolloutsCommands(),
    ...commandLedgerCommands(),
    ...shadowCommands(),
    ...alertsCommands(),
    ...alarmsCommands(),
    ...rulesCommands(),
    ...fleetHealthCommands(),
    auditCommand(),
    ...shipmentsCommands(),
    ...toolsCommands(),
    ...integrationsCommands(),
  ];
}
