import type { SessionMerge, SessionView } from '../entity-store.js';

export type AccountKind = 'member' | 'card-holder' | 'app-user';
export type AccountRegion = 'us' | 'eu';

/** Tier 2: what the entity store knows of an account. Nothing here identifies a person. */
export interface AccountRecord {
  readonly customerId: string;
  readonly kind: AccountKind;
  readonly region: AccountRegion;
  readonly homeStoreId: string | null;
  readonly createdAt: string;
  /** Set when a data-subject deletion removed the account's links. */
  readonly deletedAt: string | null;
}

export interface NewAccount {
  readonly kind: AccountKind;
  readonly region: AccountRegion;
  readonly homeStoreId?: string;
  /** Keyed HMAC of the loyalty number (never the number). */
  readonly loyaltyDigest?: string;
}

export type DsarKind = 'export' | 'correct' | 'delete';
export type DsarState = 'open' | 'completed' | 'refused';

export interface DsarRequest {
  readonly requestId: string;
  readonly customerId: string;
  readonly kind: DsarKind;
  readonly state: DsarState;
  readonly region: AccountRegion;
  readonly requestedBy: string;
  readonly requestedAt: string;
  /** 30 days after the request. */
  readonly deadline: string;
  readonly completedAt: string | null;
  readonly outcome: string | null;
}

/**
 * The customer half of the entity store (tier 2), used only by the identity service: accounts,
 * the session ↔ account link, one-time app codes, pre-shop lists and data-subject requests.
 */
export interface CustomerRecords {
  /**
   * A new account with a random customer id. With a loyalty digest that is already registered,
   * nothing is created and the existing account's id comes back with created: false.
   */
  createAccount(account: NewAccount): Promise<{ customerId: string; created: boolean }>;
  getAccount(customerId: string): Promise<AccountRecord | undefined>;
  findAccountByLoyalty(loyaltyDigest: string): Promise<string | undefined>;
  /**
   * Links a session to an account and merges the battery-swap trips this completes. Attached is
   * false when the session or the account is unknown, or the account was deleted.
   */
  attachAccount(
    sessionId: string,
    customerId: string,
  ): Promise<{ readonly attached: boolean; readonly merges: SessionMerge[] }>;
  putAppCode(codeDigest: string, customerId: string, expiresAt: number): Promise<void>;
  /** Redeems a code once, before it expires: the account's id, or undefined. */
  redeemAppCode(codeDigest: string, sessionId: string, at: number): Promise<string | undefined>;
  /** The account's sessions, newest first (its history for the app and for an export). */
  listAccountSessions(customerId: string): Promise<SessionView[]>;
  /**
   * The tier 2 half of a deletion: sessions keep their facts but lose the account and the
   * session-scoped customer ref; the loyalty digest, app codes, lists and the account's console
   * person (passkeys, sessions) go; the row is marked.
   */
  forgetAccount(customerId: string, at: number): Promise<{ readonly sessionsUnlinked: number }>;
  putShoppingList(customerId: string, storeId: string, skus: readonly string[]): Promise<void>;
  getShoppingList(customerId: string, storeId: string): Promise<string[]>;
  openDsarRequest(request: {
    readonly customerId: string;
    readonly kind: DsarKind;
    readonly region: AccountRegion;
    readonly requestedBy: string;
    readonly at: number;
  }): Promise<DsarRequest>;
  closeDsarRequest(
    requestId: string,
    state: 'completed' | 'refused',
    at: number,
    outcome: string,
  ): Promise<DsarRequest | undefined>;
  listDsarRequests(filter: { readonly state?: DsarState }): Promise<DsarRequest[]>;
  /** Accounts per region, live and deleted: for the residency report. */
  countAccountsByRegion(): Promise<
    { readonly region: AccountRegion; readonly live: number; readonly deleted: number }[]
  >;
}

export const DSAR_DEADLINE_MS = 30 * 86_400_000;
