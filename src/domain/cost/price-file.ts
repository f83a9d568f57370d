import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { Failure } from '../../shared/failure.js';
import { checkPriceList, type PriceList } from './price-list.js';

/** The dated price list the model uses unless given another (decision 061). */
export const DEFAULT_PRICE_FILE = fileURLToPath(
  new URL('../../../data/prices/aws-us-east-1-2026-12.json', import.meta.url),
);

/**
 * A price file's text, checked against the schema. Problems come back as `file:line:col: field:
 * problem`, since operators edit these by hand. Parsed as YAML, of which JSON is a subset, only
 * to know where each value sits.
 */
export function parsePriceFile(
  text: string,
  name: string,
): { ok: true; prices: PriceList } | { ok: false; error: string } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const syntax = doc.errors[0];
  if (syntax) {
    const { line, col } = lines.linePos(syntax.pos[0]);
    return { ok: false, error: `${name}:${line}:${col}: ${syntax.message.split('\n')[0]}` };
  }
  const checked = checkPriceList(doc.toJS());
  if (checked.ok) return checked;
  // Point at the offending value, or at the nearest enclosing one that exists.
  let at = 0;
  for (let n = checked.path.length; n >= 0; n--) {
    const node: unknown = doc.getIn(checked.path.slice(0, n), true);
    if (isNode(node) && node.range) {
      at = node.range[0];
      break;
    }
  }
  const { line, col } = lines.linePos(at);
  const field = checked.path.join('.');
  return {
    ok: false,
    error: `${name}:${line}:${col}: ${field === '' ? '' : `${field}: `}${checked.message}`,
  };
}

/** A price file that cannot be read or is not a price list: the caller can fix it. */
export class PriceFileError extends Failure<'price-file'> {
  constructor(message: string) {
    super('price-file', message);
  }
}

/** Reads and checks a price file; a missing or bad file is a PriceFileError saying why. */
export async function loadPriceFile(path = DEFAULT_PRICE_FILE): Promise<PriceList> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PriceFileError(`${path}: cannot read the price file (${code ?? String(error)})`);
  }
  const parsed = parsePriceFile(text, path);
  if (!parsed.ok) throw new PriceFileError(parsed.error);
  return parsed.prices;
}
