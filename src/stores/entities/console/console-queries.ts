import { SqlAlarmRecords } from '../alarms/alarm-queries.js';
import type { SqlClient, SqlExecutor } from '../sql/sql-client.js';
import { toIso, toIsoOrNull, toNumber, toStringOrNull } from '../sql/values.js';
import type {
  ConsoleRecords,
  ConsoleRole,
  ConsoleSessionRecord,
  EnrolmentOutcome,
  NewConsoleSession,
  PasskeyEnrolment,
  PasskeyRecord,
  PersonHandle,
  PersonRecord,
} from './console-records.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const iso = (ms: number) => new Date(ms).toISOString();
/** Used links are kept a day past their expiry: by then the token itself is refused anyway. */
const LINK_KEPT_MS = 86_400_000;

const PERSON_COLUMNS = `p.person_id, p.role, p.store_id, p.subject, p.name, p.created_at,
  (SELECT count(*) FROM console_credentials c WHERE c.person_id = p.person_id) AS passkeys`;
const PASSKEY_COLUMNS =
  'credential_id, person_id, public_key, counter, transports, created_at, last_used_at';

/**
 * ConsoleRecords over any SqlClient (PGlite or a PostgreSQL server). SqlEntityStore inherits these
 * methods instead of forwarding each one: it is a large class, and this half stands on its own.
 */
export class SqlConsoleRecords extends SqlAlarmRecords implements ConsoleRecords {
  constructor(client: SqlClient) {
    super(client);
  }

  async findPerson(
    key: { readonly personId: string } | PersonHandle,
  ): Promise<PersonRecord | undefined> {
    return findPerson(this.client, key);
  }

  async isLinkUsed(jti: string): Promise<boolean> {
    const rows = await this.client.query('SELECT 1 FROM console_links WHERE jti = $1', [jti]);
    return rows.length > 0;
  }

  async enrolPasskey(e: PasskeyEnrolment): Promise<EnrolmentOutcome> {
    return this.client.transaction(async (tx) => {
      const taken = await tx.query('SELECT 1 FROM console_credentials WHERE credential_id = $1', [
        e.passkey.credentialId,
      ]);
      if (taken.length > 0) return { enrolled: false, reason: 'passkey-taken' } as const;
      await tx.query('DELETE FROM console_links WHERE expires_at < $1', [iso(e.at - LINK_KEPT_MS)]);
      const consumed = await tx.query(
        `INSERT INTO console_links (jti, used_at, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (jti) DO NOTHING RETURNING jti`,
        [e.linkJti, iso(e.at), iso(e.linkExpiresAt)],
      );
      if (consumed.length === 0) return { enrolled: false, reason: 'link-used' } as const;
      const personId = await upsertPerson(tx, e);
      await tx.query('UPDATE console_links SET person_id = $2 WHERE jti = $1', [
        e.linkJti,
        personId,
      ]);
      await tx.query(
        `INSERT INTO console_credentials (credential_id, person_id, public_key, counter,
           transports, created_at)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6)`,
        [
          e.passkey.credentialId,
          personId,
          e.passkey.publicKey,
          e.passkey.counter,
          JSON.stringify(e.passkey.transports),
          iso(e.at),
        ],
      );
      const person = await findPerson(tx, { personId });
      if (!person) throw new Error('the person just enrolled is gone');
      return { enrolled: true, person } as const;
    });
  }

  async getPasskey(credentialId: string): Promise<PasskeyRecord | undefined> {
    const rows = await this.client.query(
      `SELECT ${PASSKEY_COLUMNS} FROM console_credentials WHERE credential_id = $1`,
      [credentialId],
    );
    return rows[0] === undefined ? undefined : toPasskey(rows[0]);
  }

  async listPasskeys(personId: string): Promise<PasskeyRecord[]> {
    if (!UUID.test(personId)) return [];
    const rows = await this.client.query(
      `SELECT ${PASSKEY_COLUMNS} FROM console_credentials WHERE person_id = $1
       ORDER BY created_at, credential_id`,
      [personId],
    );
    return rows.map(toPasskey);
  }

  async recordPasskeyUse(credentialId: string, counter: number, at: number): Promise<boolean> {
    // An authenticator that keeps no counter always says 0; one that does must go forward.
    const rows = await this.client.query(
      `UPDATE console_credentials SET counter = $2, last_used_at = $3
       WHERE credential_id = $1 AND (($2 = 0 AND counter = 0) OR $2 > counter)
       RETURNING credential_id`,
      [credentialId, counter, iso(at)],
    );
    return rows.length > 0;
  }

  async openConsoleSession(s: NewConsoleSession): Promise<void> {
    await this.client.transaction(async (tx) => {
      await tx.query('DELETE FROM console_sessions WHERE expires_at < $1', [iso(s.at)]);
      await tx.query(
        `INSERT INTO console_sessions (id_hash, person_id, csrf_token, created_at, last_seen_at,
           expires_at, fresh_until)
         VALUES ($1, $2, $3, $4, $4, $5, $6)`,
        [
          s.idHash,
          s.personId,
          s.csrfToken,
          iso(s.at),
          iso(s.expiresAt),
          s.freshUntil === null ? null : iso(s.freshUntil),
        ],
      );
    });
  }

  async getConsoleSession(idHash: string): Promise<ConsoleSessionRecord | undefined> {
    const rows = await this.client.query(
      `SELECT s.id_hash, s.csrf_token, s.created_at AS session_created_at, s.last_seen_at,
         s.expires_at, s.fresh_until, ${PERSON_COLUMNS}
       FROM console_sessions s JOIN console_people p ON p.person_id = s.person_id
       WHERE s.id_hash = $1`,
      [idHash],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    return {
      idHash: String(row['id_hash']),
      person: toPerson(row),
      csrfToken: String(row['csrf_token']),
      createdAt: Date.parse(toIso(row['session_created_at'])),
      lastSeenAt: Date.parse(toIso(row['last_seen_at'])),
      expiresAt: Date.parse(toIso(row['expires_at'])),
      freshUntil: toMsOrNull(row['fresh_until']),
    };
  }

  async touchConsoleSession(idHash: string, at: number): Promise<void> {
    await this.client.query(
      `UPDATE console_sessions SET last_seen_at = GREATEST(last_seen_at, $2::timestamptz)
       WHERE id_hash = $1`,
      [idHash, iso(at)],
    );
  }

  async markConsoleSessionFresh(idHash: string, freshUntil: number): Promise<boolean> {
    const rows = await this.client.query(
      'UPDATE console_sessions SET fresh_until = $2 WHERE id_hash = $1 RETURNING id_hash',
      [idHash, iso(freshUntil)],
    );
    return rows.length > 0;
  }

  async endConsoleSession(idHash: string): Promise<boolean> {
    const rows = await this.client.query(
      'DELETE FROM console_sessions WHERE id_hash = $1 RETURNING id_hash',
      [idHash],
    );
    return rows.length > 0;
  }
}

async function findPerson(
  db: SqlExecutor,
  key: { readonly personId: string } | PersonHandle,
): Promise<PersonRecord | undefined> {
  if ('personId' in key && !UUID.test(key.personId)) return undefined;
  const rows =
    'personId' in key
      ? await db.query(`SELECT ${PERSON_COLUMNS} FROM console_people p WHERE p.person_id = $1`, [
          key.personId,
        ])
      : await db.query(
          `SELECT ${PERSON_COLUMNS} FROM console_people p
           WHERE p.role = $1 AND COALESCE(p.store_id, '') = COALESCE($2, '') AND p.subject = $3`,
          [key.role, key.storeId, key.subject],
        );
  return rows[0] === undefined ? undefined : toPerson(rows[0]);
}

/** The person a link names by handle (made if new, renamed if the link gives a name), or a new one. */
async function upsertPerson(tx: SqlExecutor, e: PasskeyEnrolment): Promise<string> {
  const p = e.person;
  const values = [p.personId, p.role, p.storeId, p.subject, p.name, iso(e.at)];
  const rows =
    p.subject === null
      ? await tx.query(
          `INSERT INTO console_people (person_id, role, store_id, subject, name, created_at)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING person_id`,
          values,
        )
      : await tx.query(
          `INSERT INTO console_people (person_id, role, store_id, subject, name, created_at)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (role, (COALESCE(store_id, '')), subject) WHERE subject IS NOT NULL
           DO UPDATE SET name = COALESCE(EXCLUDED.name, console_people.name)
           RETURNING person_id`,
          values,
        );
  return String(rows[0]!['person_id']);
}

function toPerson(row: Record<string, unknown>): PersonRecord {
  return {
    personId: String(row['person_id']),
    role: row['role'] as ConsoleRole,
    storeId: toStringOrNull(row['store_id']),
    subject: toStringOrNull(row['subject']),
    name: toStringOrNull(row['name']),
    createdAt: toIso(row['created_at']),
    passkeys: toNumber(row['passkeys']),
  };
}

function toPasskey(row: Record<string, unknown>): PasskeyRecord {
  const transports = row['transports'];
  return {
    credentialId: String(row['credential_id']),
    personId: String(row['person_id']),
    publicKey: String(row['public_key']),
    counter: toNumber(row['counter']),
    transports: (typeof transports === 'string'
      ? JSON.parse(transports)
      : (transports ?? [])) as string[],
    createdAt: toIso(row['created_at']),
    lastUsedAt: toIsoOrNull(row['last_used_at']),
  };
}

function toMsOrNull(value: unknown): number | null {
  const text = toIsoOrNull(value);
  return text === null ? null : Date.parse(text);
}
