import { entities } from './001-entities.js';
import { updateInPlace } from './002-update-in-place.js';
import { sessionMerge } from './003-session-merge.js';
import { checkouts } from './005-checkouts.js';
import { alerts } from './006-alerts.js';
import type { Migration } from './migration.js';

/**
 * Every step of the entity schema, in order. Append; never edit a released step. Step 4 belongs to
 * work on another branch; `migrate` applies whatever steps a database lacks, in id order.
 */
export const MIGRATIONS: readonly Migration[] = [
  entities,
  updateInPlace,
  sessionMerge,
  checkouts,
  alerts,
];

export { migrate } from './migrate.js';
export type { Migration } from './migration.js';
