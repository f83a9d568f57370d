import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type {
  ConsoleRecords,
  ConsoleSessionRecord,
  PersonRecord,
} from '../../stores/entities/entity-store.js';
import { FRESH_WINDOW_MS, ROLE_POLICY, TOUCH_EVERY_MS } from './session-policy.js';

/** A session that has not ended, with when it will end if nothing else happens. */
export interface LiveSession extends ConsoleSessionRecord {
  /** Idle end: last seen plus the role's idle time, capped by the absolute end. */
  readonly endsAt: number;
}

/** The SHA-256 (hex) of a session id: the only form the store ever sees. */
export function sessionIdHash(sessionId: string): string {
  return createHash('sha256').update(sessionId, 'utf8').digest('hex');
}

/** Compares in constant time: a CSRF token is a secret a timing leak would hand out. */
export function csrfMatches(session: { readonly csrfToken: string }, sent: unknown): boolean {
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent, 'utf8');
  const b = Buffer.from(session.csrfToken, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function isFresh(session: { readonly freshUntil: number | null }, now: number): boolean {
  return session.freshUntil !== null && now < session.freshUntil;
}

/**
 * Console sessions over the entity store: a random id in the cookie, its hash in the store, idle
 * and absolute ends per role (session-policy.ts), and the fresh window a step-up opens.
 */
export class ConsoleSessions {
  constructor(private readonly records: ConsoleRecords) {}

  /** A new session for `person`; the id goes into the cookie and nowhere else. */
  async open(
    person: PersonRecord,
    now: number,
  ): Promise<{ sessionId: string; session: LiveSession }> {
    const sessionId = randomBytes(32).toString('base64url');
    const record: ConsoleSessionRecord = {
      idHash: sessionIdHash(sessionId),
      person,
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + ROLE_POLICY[person.role].absoluteMs,
      // Signing in is not a step-up: a sensitive action asks for the passkey again, on purpose.
      freshUntil: null,
    };
    await this.records.openConsoleSession({
      idHash: record.idHash,
      personId: person.personId,
      csrfToken: record.csrfToken,
      at: now,
      expiresAt: record.expiresAt,
      freshUntil: null,
    });
    return { sessionId, session: live(record) };
  }

  /** The live session behind a cookie's id; an ended one is deleted and undefined comes back. */
  find(sessionId: string, now: number): Promise<LiveSession | undefined> {
    return this.findByHash(sessionIdHash(sessionId), now);
  }

  /** The same by the id's hash (a principal's tokenId), for what outlives one request. */
  async findByHash(idHash: string, now: number): Promise<LiveSession | undefined> {
    const record = await this.records.getConsoleSession(idHash);
    if (!record) return undefined;
    const session = live(record);
    if (now >= session.endsAt) {
      await this.records.endConsoleSession(record.idHash);
      return undefined;
    }
    return session;
  }

  /** Counts a request as activity, writing it only now and then (TOUCH_EVERY_MS). */
  async touch(session: LiveSession, now: number): Promise<void> {
    if (now - session.lastSeenAt >= TOUCH_EVERY_MS) {
      await this.records.touchConsoleSession(session.idHash, now);
    }
  }

  /** Opens the fresh window after a verified step-up assertion. */
  async markFresh(session: LiveSession, now: number): Promise<LiveSession> {
    const freshUntil = now + FRESH_WINDOW_MS;
    await this.records.markConsoleSessionFresh(session.idHash, freshUntil);
    return live({ ...session, lastSeenAt: Math.max(session.lastSeenAt, now), freshUntil });
  }

  end(session: Pick<LiveSession, 'idHash'>): Promise<boolean> {
    return this.records.endConsoleSession(session.idHash);
  }
}

function live(record: ConsoleSessionRecord): LiveSession {
  const idle = record.lastSeenAt + ROLE_POLICY[record.person.role].idleMs;
  return { ...record, endsAt: Math.min(idle, record.expiresAt) };
}
