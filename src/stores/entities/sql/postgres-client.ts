import pg from 'pg';
import { entityFailure } from '../errors.js';
import { asUnavailable } from './postgres-unavailable.js';
import type { SqlClient } from './sql-client.js';

export interface PostgresClientOptions {
  /** postgres://user[:password]@host[:port]/database */
  readonly url: string;
  /**
   * Schema to work in (created if missing). Default: the server's search_path, normally `public`.
   * Tests give each run its own so runs on one server never see each other's rows.
   */
  readonly schema?: string;
  readonly maxConnections?: number;
}

const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/** A pooled connection to a PostgreSQL server; fails with a Failure when it cannot connect. */
export async function openPostgresClient(options: PostgresClientOptions): Promise<SqlClient> {
  const where = redact(options.url);
  if (options.schema !== undefined && !SCHEMA_PATTERN.test(options.schema)) {
    throw entityFailure('invalid-entity-url', `schema '${options.schema}' is not a plain name`);
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 4,
    // search_path is set per connection at startup, so every pooled connection works in the schema.
    ...(options.schema !== undefined ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle connection the server drops emits 'error' on the pool; without a listener that would
  // crash the process. The next query gets a fresh connection, or fails where a caller sees it.
  pool.on('error', () => undefined);
  try {
    if (options.schema !== undefined) {
      await createSchema(pool, options.schema);
    } else {
      await pool.query('SELECT 1');
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw entityFailure(
      'entity-store-unavailable',
      `cannot use the PostgreSQL server at ${where}: ${error instanceof Error ? error.message : String(error)}`,
      error,
    );
  }

  return {
    engine: 'postgres',
    async query(text, params) {
      try {
        return (await pool.query(text, params ? [...params] : undefined)).rows;
      } catch (error) {
        throw asUnavailable(error, where);
      }
    },
    async transaction(work) {
      let connection: pg.PoolClient;
      try {
        connection = await pool.connect();
      } catch (error) {
        throw asUnavailable(error, where);
      }
      let broken: unknown;
      // A checked-out connection the server drops (a restart) emits 'error' on the client, not
      // the pool; unheard, that error killed the entity store's thread. The query under way
      // fails with it too, which is where the caller hears of it.
      const dropped = (error: Error) => (broken = error);
      connection.on('error', dropped);
      try {
        await connection.query('BEGIN');
        const result = await work({
          query: async (text, params) =>
            (await connection.query(text, params ? [...params] : undefined)).rows,
        });
        await connection.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await connection.query('ROLLBACK');
        } catch (rollbackError) {
          // The connection itself is gone; do not hand it to the next caller.
          broken = rollbackError;
        }
        throw asUnavailable(error, where);
      } finally {
        connection.off('error', dropped);
        connection.release(broken instanceof Error ? broken : undefined);
      }
    },
    close: () => pool.end(),
  };
}

/**
 * IF NOT EXISTS is not safe against a concurrent creator (both see no schema, one fails on the
 * catalog's unique index), so losing that race counts as success.
 */
async function createSchema(pool: pg.Pool, schema: string): Promise<void> {
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== '23505' && code !== '42P06') throw error;
  }
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
