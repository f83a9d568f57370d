import { readFile } from 'node:fs/promises';
import { isDeviceId } from '../../../contract/ids.js';
import { UsageError } from '../../command.js';

/** The most devices one run issues: a production run, not the whole fleet in one process. */
export const MAX_BATCH = 100_000;

const SERIAL_RULE = "letters, digits, '.', '_', '-'; at most 64; no '..'";

/**
 * Serials PREFIX + number, numbered from `first`, zero-padded to the width of the largest (at
 * least 4) so they sort in production order: --prefix CART-2026- --batch 3 gives CART-2026-0001..3.
 */
export function numberedSerials(prefix: string, count: number, first: number): string[] {
  if (count < 1 || count > MAX_BATCH) {
    throw new UsageError(`--batch must be between 1 and ${MAX_BATCH}, got ${count}`);
  }
  const width = Math.max(4, String(first + count - 1).length);
  const serials = Array.from(
    { length: count },
    (_, i) => prefix + String(first + i).padStart(width, '0'),
  );
  for (const s of [serials[0]!, serials[serials.length - 1]!]) {
    if (!isDeviceId(s)) {
      throw new UsageError(
        `--prefix '${prefix}' makes serials like '${s}' that are not valid (${SERIAL_RULE})`,
      );
    }
  }
  return serials;
}

/**
 * A CSV of serials: a header line `serial`, then one serial a line. Blank lines are skipped; a
 * bad or repeated serial is refused with its line number, before anything is issued.
 */
export function parseSerialsCsv(text: string, file: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = unquote(lines[0] ?? '').toLowerCase();
  if (header !== 'serial') {
    throw new UsageError(
      `${file} line 1: expected the header 'serial', got '${lines[0] ?? ''}' (one serial a line follows it)`,
    );
  }
  const seen = new Map<string, number>();
  const serials: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    const at = `${file} line ${i + 1}`;
    if (raw.includes(',')) {
      throw new UsageError(`${at}: one column (the serial) expected, got '${raw}'`);
    }
    const serial = unquote(raw);
    if (!isDeviceId(serial)) {
      throw new UsageError(`${at}: '${serial}' is not a valid serial (${SERIAL_RULE})`);
    }
    const earlier = seen.get(serial);
    if (earlier !== undefined) {
      throw new UsageError(`${at}: '${serial}' repeats line ${earlier}`);
    }
    seen.set(serial, i + 1);
    serials.push(serial);
  }
  if (serials.length === 0) throw new UsageError(`${file}: no serials after the header`);
  if (serials.length > MAX_BATCH) {
    throw new UsageError(`${file}: ${serials.length} serials; at most ${MAX_BATCH} in one run`);
  }
  return serials;
}

export async function readSerialsCsv(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`--serials: cannot read ${file} (${code})`);
  }
  return parseSerialsCsv(text, file);
}

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}
