import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { stringify as stringifySync } from 'csv-stringify/sync';
import { maskFailure } from './errors.js';

/**
 * Rows in and out, one at a time: CSV through csv-parse's stream and csv-stringify, JSON Lines
 * through readline. Memory stays flat whatever the file size; the writer waits for
 * 'drain', so a slow disk slows the reader instead of filling the heap.
 */
export type Format = 'csv' | 'jsonl';

export interface Row {
  /** The input line the row ends on (CSV rows can span lines): what error messages cite. */
  readonly line: number;
  /** 1-based position among the data rows: what the findings log cites. */
  readonly index: number;
  readonly values: Record<string, unknown>;
}

/** The format a file name implies, if any. */
export function guessFormat(path: string): Format | undefined {
  return /\.(jsonl|ndjson)$/i.test(path) ? 'jsonl' : /\.csv$/i.test(path) ? 'csv' : undefined;
}

export function formatOf(path: string, explicit?: string): Format {
  const f = explicit ?? guessFormat(path);
  if (f === 'csv' || f === 'jsonl') return f;
  throw maskFailure(
    'unsupported-format',
    explicit === undefined
      ? `cannot tell the format of ${basename(path)} from its name; pass --format csv|jsonl`
      : `format '${explicit}' is not supported (csv, jsonl)`,
  );
}

function unreadable(path: string, error: unknown): never {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  throw maskFailure('unreadable-input', `cannot read ${path} (${code})`);
}

function checkHeader(path: string, header: string[]): string[] {
  const seen = new Set<string>();
  for (const c of header) {
    if (seen.has(c)) {
      throw maskFailure(
        'malformed-input',
        `${path} line 1: column '${c}' appears twice in the header`,
      );
    }
    seen.add(c);
  }
  return header;
}

/**
 * Reads rows. For CSV, `onHeader` sees the header before the first row (to fail closed on an
 * unknown column before anything is written); JSON Lines rows carry their own keys.
 */
export async function* readRows(
  path: string,
  format: Format,
  onHeader?: (columns: string[]) => void,
): AsyncGenerator<Row> {
  const input = createReadStream(path);
  await once(input, 'open').catch((error: unknown) => unreadable(path, error));
  let index = 0;
  if (format === 'csv') {
    // Records as arrays, without csv-parse's per-record info object (it doubled the parse cost);
    // lines are counted here instead: one per record, plus newlines inside quoted fields, plus
    // blank lines, which arrive as a single empty field.
    const parser = parse({ bom: true, relax_column_count: true });
    input.on('error', (error) => parser.destroy(error));
    input.pipe(parser);
    let header: string[] | undefined;
    let line = 0;
    try {
      for await (const record of parser as AsyncIterable<string[]>) {
        const start = line + 1;
        line = start;
        for (const field of record) if (field.includes('\n')) line += field.split('\n').length - 1;
        if (record.length === 1 && record[0] === '') continue;
        if (!header) {
          header = checkHeader(path, record);
          onHeader?.(header);
          continue;
        }
        if (record.length !== header.length) {
          throw maskFailure(
            'malformed-input',
            `${path} line ${start}: expected ${header.length} fields as in the header, found ${record.length}`,
          );
        }
        const values: Record<string, string> = {};
        for (let i = 0; i < header.length; i++) values[header[i]!] = record[i]!;
        yield { line: start, index: ++index, values };
      }
    } catch (error) {
      const e = error as Error & { code?: string; lines?: number };
      if (typeof e.code === 'string' && e.code.startsWith('CSV_')) {
        throw maskFailure(
          'malformed-input',
          `${path} line ${e.lines ?? line + 1}: ${e.message.replace(/^[^:]*: /, '')}`,
        );
      }
      throw error;
    } finally {
      input.destroy();
    }
    return;
  }
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of lines) {
      line++;
      if (text.trim() === '') continue;
      let values: unknown;
      try {
        values = JSON.parse(text);
      } catch (error) {
        throw maskFailure(
          'malformed-input',
          `${path} line ${line}: not JSON (${(error as Error).message})`,
        );
      }
      if (typeof values !== 'object' || values === null || Array.isArray(values)) {
        throw maskFailure('malformed-input', `${path} line ${line}: a row must be a JSON object`);
      }
      yield { line, index: ++index, values: values as Record<string, unknown> };
    }
  } finally {
    lines.close();
    input.destroy();
  }
}

/** Writes rows to a temporary file beside `path`; `commit` renames it into place. */
export interface RowWriter {
  write(values: Record<string, unknown>): Promise<void> | undefined;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export function tempPathFor(path: string): string {
  return join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
}

async function finish(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, 'finish');
  await new Promise<void>((resolve, reject) => stream.close((e) => (e ? reject(e) : resolve())));
}

/**
 * CSV goes out through csv-stringify's synchronous API a batch of rows at a time: 3.6 µs a row,
 * against 12.5 µs through its Transform stream (measured on 200,000 masked rows). The batches go
 * to a file stream whose 'drain' the caller waits for, so it is still a bounded stream.
 */
const BATCH = 256;

export function openRowWriter(path: string, format: Format, columns: readonly string[]): RowWriter {
  const temp = tempPathFor(path);
  const file = createWriteStream(temp, { flags: 'wx' });
  let failed: Error | undefined;
  file.on('error', (e) => (failed ??= e));
  const names = [...columns];
  let batch: unknown[][] = [];
  let text = '';
  if (format === 'csv') file.write(stringifySync([names]));
  const flush = (): boolean => {
    let chunk = text;
    if (batch.length > 0) {
      chunk = stringifySync(batch, { cast: { boolean: (b) => String(b) } });
      batch = [];
    }
    text = '';
    return chunk === '' ? true : file.write(chunk);
  };
  return {
    write(values) {
      if (failed) throw failed;
      if (format === 'csv') {
        batch.push(names.map((c) => values[c]));
        if (batch.length < BATCH) return undefined;
      } else {
        text += JSON.stringify(values, names) + '\n';
        if (text.length < 64 * 1024) return undefined;
      }
      // undefined when there is room: the caller skips an await on the hot path.
      return flush() ? undefined : once(file, 'drain').then(() => undefined);
    },
    async commit() {
      flush();
      await finish(file);
      if (failed) throw failed;
      await rename(temp, path);
    },
    async abort() {
      file.destroy();
      await unlink(temp).catch(() => undefined);
    },
  };
}

/** An append-only line log (findings, token mappings) with the same drain discipline. */
export class LineLog {
  private readonly stream: WriteStream;
  private failed: Error | undefined;
  constructor(
    readonly path: string,
    mode = 0o644,
  ) {
    this.stream = createWriteStream(path, { flags: 'wx', mode });
    this.stream.on('error', (e) => (this.failed ??= e));
  }
  write(line: string): Promise<void> | undefined {
    if (this.failed) throw this.failed;
    return this.stream.write(line + '\n')
      ? undefined
      : once(this.stream, 'drain').then(() => undefined);
  }
  async close(): Promise<void> {
    await finish(this.stream);
    if (this.failed) throw this.failed;
  }
  async discard(): Promise<void> {
    this.stream.destroy();
    await unlink(this.path).catch(() => undefined);
  }
}
