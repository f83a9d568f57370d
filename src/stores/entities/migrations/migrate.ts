import { entityFailure } from '../errors.js';
import type { SqlClient } from '../sql/sql-client.js';
import type { Migration } from './migration.js';

/** Arbitrary constant: the first half of the advisory-lock key that serialises migrations. */
const LOCK_CLASS = 0x666c7470; // 'fltp'

/**
 * Applies the steps the database has not recorded yet, in one transaction: all or nothing.
 * Safe on every start and from several processes at once: the transaction first takes an
 * advisory lock keyed by the schema, so concurrent migrators queue and the later ones find the
 * work done. A database that recorded a step this code does not know was migrated by a newer
 * version; running older code on it could corrupt it, so that is refused.
 * Returns the ids applied now.
 */
export async function migrate(
  client: SqlClient,
  migrations: readonly Migration[],
): Promise<number[]> {
  return client.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock($1, hashtext(COALESCE(current_schema(), '')))`, [
      LOCK_CLASS,
    ]);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         id integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const rows = await tx.query<{ id: number }>('SELECT id FROM schema_migrations');
    const done = new Set(rows.map((r) => Number(r.id)));
    const known = new Set(migrations.map((m) => m.id));
    const unknown = [...done].filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw entityFailure(
        'entity-schema-newer',
        `the entity store was migrated by a newer fleetplane (steps ${unknown.join(', ')}); upgrade this one`,
      );
    }
    const applied: number[] = [];
    for (const step of [...migrations].sort((a, b) => a.id - b.id)) {
      if (done.has(step.id)) continue;
      for (const statement of step.statements) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (id, name) VALUES ($1, $2)', [
        step.id,
        step.name,
      ]);
      applied.push(step.id);
    }
    return applied;
  });
}
