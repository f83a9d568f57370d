import type { StoredEvent } from '../../stores/telemetry/telemetry-store.js';

/** An event the entity store would not take after bounded retries. */
export interface DeadLetter {
  readonly id: number;
  /** The whole event, so a replay needs nothing else (not even the telemetry row, which may expire). */
  readonly event: StoredEvent;
  readonly error: string;
  readonly attempts: number;
  readonly firstFailedAt: number;
  readonly lastFailedAt: number;
}

/**
 * The entity projector's durable state: how far into the telemetry change feed it has applied,
 * and the dead letters. Advancing the cursor and parking dead letters is one atomic step, so a
 * crash can neither skip an event nor park it twice.
 */
export interface ProjectionLog {
  cursor(): Promise<number>;
  /** Moves the cursor to `seq`, parking `failed` events as dead letters in the same step. */
  advance(
    seq: number,
    failed: readonly { event: StoredEvent; error: string; attempts: number }[],
    at: number,
  ): Promise<void>;
  listDeadLetters(limit: number): Promise<DeadLetter[]>;
  countDeadLetters(): Promise<number>;
  /** Removes dead letters that were replayed successfully. */
  removeDeadLetters(ids: readonly number[]): Promise<void>;
  /** Records another failed replay attempt. */
  markReplayFailed(id: number, error: string, at: number): Promise<void>;
  close(): Promise<void>;
}
