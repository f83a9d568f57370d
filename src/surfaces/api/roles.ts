/** Who calls the API. Staff are bound to one store; ops see the whole fleet. */
export const API_ROLES = ['ops', 'staff', 'customer', 'privacy'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export function isApiRole(value: unknown): value is ApiRole {
  return typeof value === 'string' && (API_ROLES as readonly string[]).includes(value);
}

export interface ApiPrincipal {
  readonly role: ApiRole;
  /** A bearer token (scripts, `fleetplane token`) or a console session cookie (a person). */
  readonly via: 'token' | 'session';
  /** The store a staff (or customer) token is bound to; a staff person's store. */
  readonly store?: string;
  /** The region a privacy or ops caller acts from (residency); absent: no region claimed. */
  readonly region?: 'us' | 'eu';
  /**
   * A token's subject. For a session: a customer's account id (so every /v1/me route works as
   * with a customer token), or `person:<id>` for ops and staff.
   */
  readonly subject: string;
  /** The token's jti, or the SHA-256 of a session's id. */
  readonly tokenId: string;
  /** When the token expires, or when the session ends if nothing else happens. */
  readonly expiresAt: Date;
  /** Sessions only: the person signed in, and their display name (none for customers). */
  readonly personId?: string;
  readonly name?: string;
  /** Sessions only: until when a step-up assertion lets sensitive actions through. */
  readonly freshUntil?: Date;
}
