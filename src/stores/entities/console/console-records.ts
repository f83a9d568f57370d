/** Who signs in at the console (decision 023). Privacy officers use tokens only. */
export const CONSOLE_ROLES = ['ops', 'staff', 'customer'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

/**
 * A person who signs in at the console. Staff belong to one store. A customer is their account:
 * `subject` is the account's random customer id, and no name is kept (the entity store holds
 * nothing that identifies a customer; the name lives in the vault). For ops and staff, `subject`
 * is the handle a sign-in link named (`--subject alice`), so a second link for it adds a passkey
 * to the same person instead of making a new one.
 */
export interface PersonRecord {
  readonly personId: string;
  readonly role: ConsoleRole;
  readonly storeId: string | null;
  readonly subject: string | null;
  readonly name: string | null;
  readonly createdAt: string;
  /** How many passkeys the person has registered. */
  readonly passkeys: number;
}

/** A person named by role, store and subject (what a sign-in link carries). */
export interface PersonHandle {
  readonly role: ConsoleRole;
  readonly storeId: string | null;
  readonly subject: string;
}

/** A registered WebAuthn credential. */
export interface PasskeyRecord {
  /** base64url, as the authenticator made it. */
  readonly credentialId: string;
  readonly personId: string;
  /** The COSE public key, base64url. */
  readonly publicKey: string;
  /** The authenticator's signature counter as last seen (0: the authenticator keeps none). */
  readonly counter: number;
  readonly transports: string[];
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
}

/** A passkey registered through a one-time link: consumes the link, makes or finds the person. */
export interface PasskeyEnrolment {
  readonly linkJti: string;
  /** When the link expires (ms since epoch); its row may be pruned some time after. */
  readonly linkExpiresAt: number;
  readonly at: number;
  /** The person the link is for; `personId` is used when no person has the link's handle yet. */
  readonly person: {
    readonly personId: string;
    readonly role: ConsoleRole;
    readonly storeId: string | null;
    readonly subject: string | null;
    readonly name: string | null;
  };
  readonly passkey: Pick<PasskeyRecord, 'credentialId' | 'publicKey' | 'counter' | 'transports'>;
}

export type EnrolmentOutcome =
  | { readonly enrolled: true; readonly person: PersonRecord }
  /** link-used: the link was consumed before; passkey-taken: that credential is registered. */
  | { readonly enrolled: false; readonly reason: 'link-used' | 'passkey-taken' };

/** A console session as stored: the cookie's id only as its SHA-256 (hex). Times in ms. */
export interface ConsoleSessionRecord {
  readonly idHash: string;
  readonly person: PersonRecord;
  readonly csrfToken: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  /** The absolute end; the idle end depends on the person's role and lastSeenAt. */
  readonly expiresAt: number;
  /** Until when a passkey assertion counts as fresh (step-up); null: never confirmed. */
  readonly freshUntil: number | null;
}

export interface NewConsoleSession {
  readonly idHash: string;
  readonly personId: string;
  readonly csrfToken: string;
  readonly at: number;
  readonly expiresAt: number;
  readonly freshUntil: number | null;
}

/**
 * The console half of the entity store: people, their passkeys, console sessions and the one-time
 * links already used. In the entity store so several API processes on one PostgreSQL share them.
 */
export interface ConsoleRecords {
  findPerson(key: { readonly personId: string } | PersonHandle): Promise<PersonRecord | undefined>;
  /** True when a link with this id was consumed. */
  isLinkUsed(jti: string): Promise<boolean>;
  /**
   * In one transaction: records the link as used (refused if it was), finds the person by the
   * link's handle or creates them, and stores the passkey. Prunes link rows long expired.
   */
  enrolPasskey(enrolment: PasskeyEnrolment): Promise<EnrolmentOutcome>;
  getPasskey(credentialId: string): Promise<PasskeyRecord | undefined>;
  /** The person's passkeys, oldest first. */
  listPasskeys(personId: string): Promise<PasskeyRecord[]>;
  /**
   * Records a verified assertion: the new counter and when. False when the counter does not move
   * forward (for an authenticator that counts): a cloned authenticator or a replay.
   */
  recordPasskeyUse(credentialId: string, counter: number, at: number): Promise<boolean>;
  /** Stores a new session; deletes sessions past their absolute end. */
  openConsoleSession(session: NewConsoleSession): Promise<void>;
  getConsoleSession(idHash: string): Promise<ConsoleSessionRecord | undefined>;
  /** Moves last-seen forward (never back). */
  touchConsoleSession(idHash: string, at: number): Promise<void>;
  /** False when there is no such session. */
  markConsoleSessionFresh(idHash: string, freshUntil: number): Promise<boolean>;
  /** False when there was no such session. */
  endConsoleSession(idHash: string): Promise<boolean>;
}
