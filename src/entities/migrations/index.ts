import { entities } from './001-entities.js';
import type { Migration } from './migration.js';

/** Every step of the entity schema, in order. Append; never edit a released step. */
export const MIGRATIONS: readonly Migration[] = [entities];

export { migrate } from './migrate.js';
export type { Migration } from './migration.js';
