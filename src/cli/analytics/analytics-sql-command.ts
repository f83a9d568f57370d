import { existsSync } from 'node:fs';
import { queryExport, telemetryViewSql } from '../../stores/analytics/duckdb-sql.js';
import { UsageError, stringOption, type Command } from '../command.js';
import { path } from '../privacy/options.js';

const cell = (v: unknown) =>
  v === null || v === undefined
    ? ''
    : (typeof v === 'string' ? v : JSON.stringify(v)).replace(/[\t\n]/g, ' ');

/** `fleetplane analytics sql`: one SELECT over an export, read-only. */
export function analyticsSqlCommand(): Command {
  return {
    path: ['analytics', 'sql'],
    summary: 'Run one read-only SELECT over a Parquet export (the view `telemetry`).',
    usage: 'analytics sql --dir OUT [--format tsv|jsonl] "SELECT …"',
    details: [
      '--dir OUT     an export root written by `fleetplane export parquet`',
      'The view `telemetry` has the columns seq, device_id, device_class, type, counter, ts,',
      'received_at, body (JSON text), mask, and the partitions store and day. For example:',
      `  fleetplane analytics sql --dir exports "SELECT store, day, count(*) FROM telemetry GROUP BY ALL"`,
      `  … "SELECT body->>'temp_c' AS t FROM telemetry WHERE type = 'coldchain-telemetry'"`,
      'Only SELECT runs; the engine reads nothing outside OUT and writes nothing.',
      'Write a DuckDB file with the view for other tools: fleetplane analytics view --dir OUT --db FILE',
    ],
    options: { dir: { type: 'string' }, format: { type: 'string' }, sql: { type: 'string' } },
    required: ['dir', 'sql'],
    positional: 'sql',
    async run(values, io) {
      const format = stringOption(values, 'format') ?? 'tsv';
      if (format !== 'tsv' && format !== 'jsonl') {
        throw new UsageError(`--format must be tsv or jsonl, got '${format}'`);
      }
      const result = await queryExport(path(values, 'dir'), stringOption(values, 'sql')!);
      if (format === 'jsonl') {
        for (const row of result.rows) io.out(JSON.stringify(row));
        return;
      }
      io.out(result.columns.join('\t'));
      for (const row of result.rows) io.out(result.columns.map((c) => cell(row[c])).join('\t'));
    },
  };
}

/** `fleetplane analytics view`: a DuckDB file holding only the view, for DuckDB's own tools. */
export function analyticsViewCommand(): Command {
  return {
    path: ['analytics', 'view'],
    summary: 'Write a DuckDB database file with the `telemetry` view over a Parquet export.',
    usage: 'analytics view --dir OUT --db FILE',
    details: [
      'The file holds no data, only the view over OUT/**/*.parquet (Hive partitions store, day).',
      'Open it read-only so analysts cannot write: duckdb -readonly FILE',
    ],
    options: { dir: { type: 'string' }, db: { type: 'string' } },
    required: ['dir', 'db'],
    async run(values, io) {
      const db = path(values, 'db');
      const { DuckDBInstance } = await import('@duckdb/node-api');
      // Never opened over an existing file: it may be someone's database, not a view of ours.
      if (existsSync(db)) throw new UsageError(`${db} exists; remove it or choose another --db`);
      const instance = await DuckDBInstance.create(db);
      const connection = await instance.connect();
      try {
        await connection.run(telemetryViewSql(path(values, 'dir')));
      } finally {
        connection.closeSync();
        instance.closeSync();
      }
      io.out(`Wrote ${db}: open it with duckdb -readonly ${db}, then SELECT … FROM telemetry`);
    },
  };
}
