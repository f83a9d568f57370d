import type { Migration } from './migration.js';

/**
 * Decision 037: a store's opening hours on its record (per local weekday, read in the store's
 * time zone), so a rollout can send updates while the store is closed. Null: not known.
 */
export const storeOpeningHours: Migration = {
  id: 15,
  name: 'store-opening-hours',
  statements: [
    `ALTER TABLE stores ADD COLUMN opening_hours jsonb`,
    `ALTER TABLE stores ADD COLUMN opening_hours_by text`,
  ],
};
