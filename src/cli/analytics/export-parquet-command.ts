import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  describeScope,
  exportParquet,
  isDay,
  newExportRun,
  openEventMasking,
  type ExportScope,
  type ParquetExportResult,
} from '../../domain/analytics/index.js';
import { CredentialSealKeys } from '../../domain/customers/seal-keys.js';
import { loadRubric } from '../../domain/privacy/masking/index.js';
import { operatorOpener } from '../../domain/tools/tool-telemetry-export.js';
import { platformLayout } from '../../platform/platform-layout.js';
import {
  COMPRESSIONS,
  DuckDbPartWriter,
  type Compression,
} from '../../stores/analytics/duckdb-part-writer.js';
import type { KeyProvider } from '../../stores/keys/index.js';
import { DynamoDbTelemetryStore } from '../../stores/telemetry/dynamodb/dynamodb-telemetry-store.js';
import { parseDynamoDbTelemetryUrl } from '../../stores/telemetry/dynamodb/telemetry-url.js';
import { SqliteTelemetryReader } from '../../stores/telemetry/telemetry-reader.js';
import type { TelemetryStore } from '../../stores/telemetry/telemetry-store.js';
import {
  UsageError,
  stringOption,
  type Command,
  type CommandIo,
  type OptionValues,
} from '../command.js';
import { dataDirOf, path } from '../privacy/options.js';

export interface AnalyticsCommandDeps {
  readonly now: () => Date;
  readonly keys: (dataDir: string) => KeyProvider;
  /** Events per chunk (tests make it small to see several chunks and crash between them). */
  readonly chunkEvents?: number;
}

const DEFAULT_RUBRIC = fileURLToPath(
  new URL('../../../examples/tool-telemetry-export.rubric.yaml', import.meta.url),
);

type Feed = Pick<TelemetryStore, 'eventsAfter'> & { close(): unknown };

async function openFeed(values: OptionValues, dataDir: string): Promise<Feed> {
  const url = stringOption(values, 'telemetry-url');
  if (url !== undefined) {
    let location;
    try {
      location = parseDynamoDbTelemetryUrl(url);
    } catch (error) {
      throw new UsageError(`--telemetry-url: ${(error as Error).message}`);
    }
    return DynamoDbTelemetryStore.open(location);
  }
  const file = platformLayout(dataDir).telemetryDb;
  if (!existsSync(file)) {
    throw new UsageError(`no telemetry store in ${dataDir} (has a platform run on it?)`);
  }
  // Read-only beside a running platform (WAL): the same change feed as the port's.
  return new SqliteTelemetryReader(file);
}

function dayOption(values: OptionValues, name: 'from' | 'to'): string | null {
  const text = stringOption(values, name);
  if (text === undefined) return null;
  if (!isDay(text))
    throw new UsageError(`--${name} must be a UTC day like 2026-11-01, got '${text}'`);
  return text;
}

function scopeOf(values: OptionValues): ExportScope {
  const scope = {
    store: stringOption(values, 'store') ?? null,
    from: dayOption(values, 'from'),
    to: dayOption(values, 'to'),
  };
  if (scope.from !== null && scope.to !== null && scope.from > scope.to) {
    throw new UsageError(`--from ${scope.from} is after --to ${scope.to}`);
  }
  return scope;
}

function compressionOf(values: OptionValues): Compression {
  const text = stringOption(values, 'compression') ?? 'zstd';
  if (!(COMPRESSIONS as readonly string[]).includes(text)) {
    throw new UsageError(`--compression must be one of ${COMPRESSIONS.join(', ')}, got '${text}'`);
  }
  return text as Compression;
}

function summary(result: ParquetExportResult, out: string, seconds: number, io: CommandIo): void {
  if (result.removedUncommitted > 0) {
    io.out(`Removed ${result.removedUncommitted} files an interrupted run had left uncounted.`);
  }
  if (result.events === 0) {
    io.out(`Nothing new after seq ${result.afterSeq}: ${out} is up to date.`);
    return;
  }
  const rate = Math.round(result.rows / Math.max(seconds, 0.001));
  io.out(
    `Exported ${result.rows.toLocaleString('en-US')} row${result.rows === 1 ? '' : 's'} (${result.events.toLocaleString('en-US')} events, seq ${result.afterSeq + 1}–${result.lastSeq}) to ${result.files} new files in ${out}, ${seconds.toFixed(1)} s, ${rate.toLocaleString('en-US')} rows/s`,
  );
  for (const [dir, rows] of [...result.partitions].sort()) io.out(`  ${dir}  ${rows} rows`);
}

/** `fleetplane export parquet`. */
export function exportParquetCommand(deps: AnalyticsCommandDeps): Command {
  return {
    path: ['export', 'parquet'],
    summary:
      'Export stored telemetry to Parquet per store and day, incrementally, masking the types that carry PII.',
    usage:
      'export parquet --out DIR [--data DIR] [--telemetry-url URL] [--store S] [--from DAY --to DAY] [--rubric FILE] [--compression zstd|snappy|uncompressed]',
    details: [
      '--out DIR            the export root: OUT/store=S/day=YYYY-MM-DD/part-<seq range>.parquet and',
      '                     OUT/_export.json, the cursor (change-feed seq) the next run starts after',
      '--data DIR           the platform data directory (default ./fleet-data); it may be running:',
      '                     the export only reads the telemetry store. Keys and token store live here.',
      '--telemetry-url URL  read DynamoDB telemetry instead: dynamodb://HOST:PORT/TABLE',
      '--store S, --from DAY, --to DAY  only this store / these UTC device days (inclusive); an OUT',
      '                     directory keeps the scope of its first run',
      '--rubric FILE        the tool-telemetry masking rubric (default examples/tool-telemetry-export.rubric.yaml)',
      'Each run writes only events stored since the last; a run with nothing new writes nothing.',
      'Query the result with: fleetplane analytics sql --dir OUT "SELECT …"',
    ],
    options: {
      data: { type: 'string' },
      out: { type: 'string' },
      'telemetry-url': { type: 'string' },
      store: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      rubric: { type: 'string' },
      compression: { type: 'string' },
    },
    required: ['out'],
    async run(values, io) {
      const dataDir = dataDirOf(values);
      const out = path(values, 'out');
      const scope = scopeOf(values);
      const compression = compressionOf(values);
      const rubric = await loadRubric(
        stringOption(values, 'rubric') ? path(values, 'rubric') : DEFAULT_RUBRIC,
      );
      const keys = deps.keys(dataDir);
      const run = newExportRun(deps.now());
      const feed = await openFeed(values, dataDir);
      const started = Date.now();
      let masking;
      let writer;
      try {
        masking = await openEventMasking({
          rubrics: { 'tool-telemetry': rubric },
          keys,
          dataDir,
          openOperator: operatorOpener(new CredentialSealKeys(keys)),
          run,
          now: deps.now,
        });
        writer = await DuckDbPartWriter.open(compression);
        io.err(`exporting ${describeScope(scope)} to ${out}`);
        const result = await exportParquet({
          feed,
          out,
          scope,
          writer,
          masking,
          run,
          now: deps.now,
          ...(deps.chunkEvents ? { chunkEvents: deps.chunkEvents } : {}),
          onProgress: (p) => {
            const seconds = (Date.now() - started) / 1000;
            io.err(
              `  … ${p.rows.toLocaleString('en-US')} rows to seq ${p.lastSeq}, ${p.files} files, ${Math.round(p.rows / Math.max(seconds, 0.001)).toLocaleString('en-US')} rows/s`,
            );
          },
        });
        summary(result, out, (Date.now() - started) / 1000, io);
        if (masking.masked > 0) {
          io.out(`  ${masking.masked} rows masked with ${rubric.name}@${rubric.version}`);
        }
      } finally {
        // Kept even when the run fails: chunks committed before the failure hold its tokens.
        await masking?.close();
        writer?.close();
        await feed.close();
      }
    },
  };
}
