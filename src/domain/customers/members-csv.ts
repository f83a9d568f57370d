import { parse } from 'csv-parse/sync';
import type { AccountRegion } from '../../stores/entities/customers/customer-records.js';

export const MEMBER_COLUMNS = [
  'loyalty_number',
  'first_name',
  'last_name',
  'email',
  'phone',
  'address',
  'region',
] as const;

export interface MemberRow {
  readonly line: number;
  readonly loyaltyNumber: string;
  readonly region: AccountRegion;
  readonly fields: {
    readonly first_name?: string;
    readonly last_name?: string;
    readonly email?: string;
    readonly phone?: string;
    readonly address?: string;
  };
}

export interface RejectedRow {
  readonly line: number;
  /** Says what is wrong, never the value: the report is printed, and the value is personal. */
  readonly reason: string;
}

const LOYALTY = /^[0-9]{8,19}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;
const PHONE = /^\+?[0-9 ()-]{6,20}$/;
const NAME = /^[^\p{Cc}<>{}|@\\/0-9]{1,80}$/u;

/**
 * A loyalty programme's member export as rows to import, or the line and reason of each bad row.
 * Line numbers count the header as line 1, as a spreadsheet shows them.
 */
export function parseMembersCsv(text: string): {
  rows: MemberRow[];
  rejected: RejectedRow[];
  headerError?: string;
} {
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false });
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    return {
      rows: [],
      rejected: [],
      headerError: `not CSV${line ? ` at line ${line}` : ''}: ${(error as Error).message.split('\n')[0]}`,
    };
  }
  const header = (records[0] ?? []).map((h) => h.trim().toLowerCase());
  const missing = MEMBER_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    return { rows: [], rejected: [], headerError: `line 1: missing columns ${missing.join(', ')}` };
  }
  const rows: MemberRow[] = [];
  const rejected: RejectedRow[] = [];
  const seen = new Map<string, number>();
  records.slice(1).forEach((record, i) => {
    const line = i + 2;
    if (record.every((cell) => cell.trim() === '')) return;
    const cell = (name: (typeof MEMBER_COLUMNS)[number]) =>
      (record[header.indexOf(name)] ?? '').trim();
    const reason = check(cell);
    if (reason) return rejected.push({ line, reason });
    const loyaltyNumber = cell('loyalty_number');
    const first = seen.get(loyaltyNumber);
    if (first !== undefined) {
      return rejected.push({ line, reason: `loyalty_number repeats line ${first}` });
    }
    seen.set(loyaltyNumber, line);
    const optional = (name: (typeof MEMBER_COLUMNS)[number]) =>
      cell(name) === '' ? {} : { [name]: cell(name) };
    rows.push({
      line,
      loyaltyNumber,
      region: cell('region').toLowerCase() as AccountRegion,
      fields: {
        ...optional('first_name'),
        ...optional('last_name'),
        ...optional('email'),
        ...optional('phone'),
        ...optional('address'),
      },
    });
  });
  return { rows, rejected };
}

function check(cell: (name: (typeof MEMBER_COLUMNS)[number]) => string): string | undefined {
  if (!LOYALTY.test(cell('loyalty_number'))) return 'loyalty_number is not 8 to 19 digits';
  const region = cell('region').toLowerCase();
  if (region !== 'us' && region !== 'eu') return 'region is not us or eu';
  for (const name of ['first_name', 'last_name'] as const) {
    if (cell(name) !== '' && !NAME.test(cell(name))) return `${name} is not a plausible name`;
  }
  if (cell('email') !== '' && !EMAIL.test(cell('email'))) return 'email is not an address';
  if (cell('phone') !== '' && !PHONE.test(cell('phone'))) return 'phone is not a phone number';
  if (cell('address').length > 300) return 'address is longer than 300 characters';
  return undefined;
}
