import type { SeenWithin } from '../../domain/fleet-ops/fleet-diff.js';

/** The platform's cumulative counters the rate rules compare between ticks. */
export interface FleetCounters {
  readonly storedByStore: Readonly<Record<string, number>>;
  readonly rejectsByStore: Readonly<Record<string, number>>;
  readonly authFailuresByStage: Readonly<Record<string, number>>;
}

export interface StorePresence {
  readonly expected: number;
  /** Connected now, or seen within the rule's window. */
  readonly present: number;
  readonly neverSeen: number;
}

export interface HaltedRollout {
  readonly rolloutId: string;
  readonly deviceClass: string;
  readonly targetVersion: string;
  readonly haltReason: string | null;
}

/**
 * What fleet rules read (decision 040): a port, so the judging does not know that the counters are
 * prom-client's, the stores a directory of files and the dead letters a SQLite table.
 */
export interface FleetSignals {
  counters(): Promise<FleetCounters>;
  storeIds(): Promise<readonly string[]>;
  presence(storeId: string, seenWithin: SeenWithin, now: number): Promise<StorePresence>;
  deadLetters(): Promise<number>;
  haltedRollouts(): Promise<readonly HaltedRollout[]>;
}
