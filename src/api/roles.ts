/** Who calls the API. Staff are bound to one store; ops see the whole fleet. */
export const API_ROLES = ['ops', 'staff', 'customer', 'privacy'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export function isApiRole(value: unknown): value is ApiRole {
  return typeof value === 'string' && (API_ROLES as readonly string[]).includes(value);
}

export interface ApiPrincipal {
  readonly role: ApiRole;
  /** The store a staff (or customer) token is bound to. */
  readonly store?: string;
  /** The region a privacy or ops caller acts from (residency); absent: no region claimed. */
  readonly region?: 'us' | 'eu';
  readonly subject: string;
  readonly tokenId: string;
  readonly expiresAt: Date;
}
