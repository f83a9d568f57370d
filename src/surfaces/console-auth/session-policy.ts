import type { ConsoleRole } from '../../stores/entities/entity-store.js';

/** How long a role's console session lives, and what its passkeys must prove (decision 023). */
export interface RolePolicy {
  /** The session ends after this long without a request. */
  readonly idleMs: number;
  /** …and this long after sign-in, however busy. */
  readonly absoluteMs: number;
  /**
   * Ops and staff need user verification (PIN or biometric: the PRD's hardware-key MFA); a
   * customer's phone is asked for it, but a passkey without it is accepted.
   */
  readonly userVerification: 'required' | 'preferred';
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const ROLE_POLICY: Readonly<Record<ConsoleRole, RolePolicy>> = {
  ops: { idleMs: 15 * MINUTE, absoluteMs: 12 * HOUR, userVerification: 'required' },
  staff: { idleMs: 30 * MINUTE, absoluteMs: 12 * HOUR, userVerification: 'required' },
  customer: { idleMs: 7 * DAY, absoluteMs: 30 * DAY, userVerification: 'preferred' },
};

/** A step-up assertion lets overrides, deletions and rollout release/abort through this long. */
export const FRESH_WINDOW_MS = 5 * MINUTE;

/**
 * Last-seen is written at most this often, not on every request: a busy page would otherwise
 * write the session row many times a second. An idle session may so end up to this much early.
 */
export const TOUCH_EVERY_MS = 30_000;
