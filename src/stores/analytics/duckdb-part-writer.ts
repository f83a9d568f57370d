import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { ExportRow, PartWriter } from '../../domain/analytics/index.js';

export const COMPRESSIONS = ['zstd', 'snappy', 'uncompressed'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

/** SQL string literal: DuckDB doubles a quote inside one. */
export const sqlString = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * Writes Parquet part files with DuckDB: rows go through an appender into an in-memory staging
 * table, and COPY writes them out (typed columns, times as TIMESTAMP in UTC). DuckDB is imported
 * only when an export opens one, so `fleetplane start` never loads the native engine.
 */
export class DuckDbPartWriter implements PartWriter {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly compression: Compression,
  ) {}

  static async open(compression: Compression = 'zstd'): Promise<DuckDbPartWriter> {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(
      `CREATE TABLE staging (seq BIGINT, device_id VARCHAR, device_class VARCHAR, type VARCHAR,
         counter BIGINT, ts_ms BIGINT, received_ms BIGINT, body VARCHAR, mask VARCHAR)`,
    );
    return new DuckDbPartWriter(instance, connection, compression);
  }

  async writePart(file: string, rows: readonly ExportRow[]): Promise<void> {
    const appender = await this.connection.createAppender('staging');
    try {
      for (const r of rows) {
        appender.appendBigInt(BigInt(r.seq));
        if (r.deviceId === null) appender.appendNull();
        else appender.appendVarchar(r.deviceId);
        appender.appendVarchar(r.deviceClass);
        appender.appendVarchar(r.type);
        appender.appendBigInt(BigInt(r.counter));
        if (r.ts === null) appender.appendNull();
        else appender.appendBigInt(BigInt(r.ts));
        if (r.receivedAt === null) appender.appendNull();
        else appender.appendBigInt(BigInt(r.receivedAt));
        appender.appendVarchar(r.body);
        if (r.mask === null) appender.appendNull();
        else appender.appendVarchar(r.mask);
        appender.endRow();
      }
    } finally {
      appender.closeSync();
    }
    try {
      await this.connection.run(
        `COPY (SELECT seq, device_id, device_class, type, counter, epoch_ms(ts_ms) AS ts,
                      epoch_ms(received_ms) AS received_at, body, mask
               FROM staging ORDER BY seq)
         TO ${sqlString(file)} (FORMAT parquet, COMPRESSION ${this.compression})`,
      );
    } finally {
      await this.connection.run('DELETE FROM staging');
    }
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
