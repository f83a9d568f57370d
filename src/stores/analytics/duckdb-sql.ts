import { readdir } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { Failure } from '../../shared/failure.js';
import { sqlString } from './duckdb-part-writer.js';

export class AnalyticsSqlFailure extends Failure<
  'not-a-select' | 'no-parquet-files' | 'sql-error'
> {}

export interface SqlResult {
  readonly columns: readonly string[];
  /** Values as JSON-safe data: big integers and times as strings. */
  readonly rows: readonly Record<string, unknown>[];
}

/** The view analysts query: every part file under the export root, partitions as columns. */
export function telemetryViewSql(dir: string): string {
  const glob = `${dir.replace(/\/+$/, '')}/**/*.parquet`;
  return `CREATE VIEW telemetry AS SELECT * FROM read_parquet(${sqlString(glob)}, hive_partitioning = true)`;
}

async function hasParquet(dir: string): Promise<boolean> {
  try {
    const entries = await readdir(dir, { recursive: true });
    return entries.some((e) => e.endsWith('.parquet'));
  } catch {
    return false;
  }
}

/**
 * Runs one read-only query over an export directory. Read-only twice over: DuckDB's parser must
 * see exactly one SELECT (no COPY, CREATE, INSERT, ATTACH, SET…), and before it runs the engine
 * is locked down to reading files under `dir` only (no other files, no extension downloads),
 * with the configuration locked so the query cannot undo that.
 */
export async function queryExport(dir: string, sql: string): Promise<SqlResult> {
  if (!(await hasParquet(dir))) {
    throw new AnalyticsSqlFailure(
      'no-parquet-files',
      `no Parquet files under ${dir}; run 'fleetplane export parquet --out ${dir}' first`,
    );
  }
  const { DuckDBInstance, StatementType } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(telemetryViewSql(dir));
    for (const setting of [
      `SET allowed_directories = [${sqlString(dir.replace(/\/*$/, '/'))}]`,
      'SET enable_external_access = false',
      'SET autoinstall_known_extensions = false',
      'SET autoload_known_extensions = false',
      'SET lock_configuration = true',
    ]) {
      await connection.run(setting);
    }
    await checkOneSelect(connection, sql);
    const statements = await connection.extractStatements(sql);
    let prepared;
    try {
      prepared = await statements.prepare(0);
    } catch (error) {
      throw new AnalyticsSqlFailure('sql-error', firstLine(error));
    }
    if (prepared.statementType !== StatementType.SELECT) {
      throw new AnalyticsSqlFailure(
        'not-a-select',
        `only SELECT is allowed (the view is read-only), got a ${StatementType[prepared.statementType]} statement`,
      );
    }
    try {
      const reader = await prepared.runAndReadAll();
      return { columns: reader.columnNames(), rows: reader.getRowObjectsJson() };
    } catch (error) {
      throw new AnalyticsSqlFailure('sql-error', firstLine(error));
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * DuckDB's parser, without binding anything: json_serialize_sql serialises SELECT statements
 * only, so a COPY, ATTACH or DROP is named as what it is rather than failing later on a file.
 */
async function checkOneSelect(connection: DuckDBConnection, sql: string): Promise<void> {
  const reader = await connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR) AS j', [
    sql,
  ]);
  const parsed = JSON.parse(String(reader.getRowObjects()[0]!['j'])) as {
    error: boolean;
    error_message?: string;
    statements?: unknown[];
  };
  if (parsed.error) {
    const message = parsed.error_message ?? 'the statement does not parse';
    if (/Only SELECT/.test(message)) {
      throw new AnalyticsSqlFailure(
        'not-a-select',
        'only SELECT is allowed: the view is read-only (no COPY, CREATE, INSERT, ATTACH, SET, PRAGMA…)',
      );
    }
    throw new AnalyticsSqlFailure('sql-error', message);
  }
  if (parsed.statements?.length !== 1) {
    throw new AnalyticsSqlFailure(
      'not-a-select',
      `give exactly one SELECT statement, got ${parsed.statements?.length ?? 0}`,
    );
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
