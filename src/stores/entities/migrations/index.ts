import { entities } from './001-entities.js';
import { updateInPlace } from './002-update-in-place.js';
import { sessionMerge } from './003-session-merge.js';
import { customerIdentity } from './004-customer-identity.js';
import { checkouts } from './005-checkouts.js';
import { alerts } from './006-alerts.js';
import { staffOps } from './007-staff-ops.js';
import { ota } from './008-ota.js';
import { commandsShadows } from './009-commands-shadows.js';
import { consoleAuth } from './010-console.js';
import { alertStates } from './011-alert-states.js';
import { alarms } from './014-alarms.js';
import { storeOpeningHours } from './015-store-opening-hours.js';
import { webhooks } from './012-webhooks.js';
import { deviceRejects } from './013-device-rejects.js';
import { coldChain } from './016-cold-chain.js';
import { tools } from './017-tools.js';
import type { Migration } from './migration.js';

/** Every step of the entity schema, in order. Append; never edit a released step. */
export const MIGRATIONS: readonly Migration[] = [
  entities,
  updateInPlace,
  sessionMerge,
  customerIdentity,
  checkouts,
  alerts,
  staffOps,
  ota,
  commandsShadows,
  consoleAuth,
  alertStates,
  webhooks,
  deviceRejects,
  alarms,
  storeOpeningHours,
  coldChain,
  tools,
];

export { migrate } from './migrate.js';
export type { Migration } from './migration.js';
