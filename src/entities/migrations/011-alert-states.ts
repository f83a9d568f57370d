import type { Migration } from './migration.js';

/**
 * Issue 15, the console (decision 023): a loss-prevention alert has a state. Staff acknowledge
 * one (someone is on it) and resolve it; each change keeps who (`role:subject`) and when. Alerts
 * raised before this step start open. The store's feed filters by state, newest first, so the
 * index leads with the store and the state.
 */
export const alertStates: Migration = {
  id: 11,
  name: 'alert-states',
  statements: [
    `ALTER TABLE alerts ADD COLUMN state text NOT NULL DEFAULT 'open'
       CHECK (state IN ('open', 'acknowledged', 'resolved'))`,
    'ALTER TABLE alerts ADD COLUMN acknowledged_by text',
    'ALTER TABLE alerts ADD COLUMN acknowledged_at timestamptz',
    'ALTER TABLE alerts ADD COLUMN resolved_by text',
    'ALTER TABLE alerts ADD COLUMN resolved_at timestamptz',
    'CREATE INDEX alerts_by_store_state ON alerts (store_id, state, at, id)',
  ],
};
