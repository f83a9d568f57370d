/**
 * A small RFC 4180 reader: comma-separated, fields optionally in double quotes, a quote inside a
 * quoted field written twice, line breaks (CRLF, LF or CR) allowed inside quotes. A leading UTF-8
 * BOM (spreadsheet exports add one) is skipped, and blank lines are ignored. Each record carries the
 * line it starts on, so an import can say where a bad row is.
 */
export interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvSyntaxError';
  }
}

export function readCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let fields: string[] = [];
  let field = '';
  let recordLine = 1;
  let atFieldStart = true;

  const endRecord = () => {
    fields.push(field);
    // A blank line is one empty field; it is not a record.
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    atFieldStart = true;
  };

  while (i < text.length) {
    const ch = text[i]!;
    if (atFieldStart && ch === '"') {
      const start = line;
      i++;
      for (;;) {
        if (i >= text.length) throw new CsvSyntaxError(start, 'a quoted field is never closed');
        const q = text[i]!;
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n' || (q === '\r' && text[i + 1] !== '\n')) line++;
        field += q;
        i++;
      }
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') {
        throw new CsvSyntaxError(line, 'text after a closing quote; quote the whole field');
      }
      atFieldStart = false;
      continue;
    }
    if (ch === ',') {
      fields.push(field);
      field = '';
      atFieldStart = true;
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    if (ch === '"') throw new CsvSyntaxError(line, 'a quote inside an unquoted field');
    field += ch;
    atFieldStart = false;
    i++;
  }
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}
