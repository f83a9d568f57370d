import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { importMembers } from '../../domain/customers/members-import.js';
import { MEMBER_COLUMNS, parseMembersCsv } from '../../domain/customers/members-csv.js';
import { requireString, UsageError, type Command } from '../command.js';
import { CUSTOMER_STORE_OPTIONS, withCustomerStores } from './customer-cli-context.js';

const SHOWN_REJECTIONS = 50;

export const accountsImportCommand: Command = {
  path: ['accounts', 'import'],
  summary: "Load a loyalty programme's members into the PII vault.",
  usage: 'accounts import --data DIR --file F.csv [--entity-url postgres://…]',
  details: [
    `Columns (CSV header): ${MEMBER_COLUMNS.join(',')}. loyalty_number (8–19 digits) and region`,
    '(us or eu) are required; the others may be empty. Each member gets a random customer id in the',
    "entity store and an encrypted record in its region's vault. Safe to run twice: members already",
    'there are left as they are. Bad rows are listed by line and the rest import; exit status 1.',
  ],
  options: { ...CUSTOMER_STORE_OPTIONS, file: { type: 'string' } },
  required: ['data', 'file'],
  async run(values, io) {
    const file = requireString(values, 'file');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read --file ${file}: ${(error as Error).message}`);
    }
    const parsed = parseMembersCsv(text);
    if (parsed.headerError) {
      io.err(`${file}: ${parsed.headerError}`);
      return 1;
    }
    const report = await withCustomerStores(values, 'import accounts', (stores) =>
      importMembers(
        parsed.rows,
        { role: 'cli', subject: userInfo().username },
        { ...stores, progress: (done, total) => io.err(`  ${done}/${total} members`) },
      ),
    );
    const rejected = [...parsed.rejected, ...report.rejected].sort((a, b) => a.line - b.line);
    io.out(
      `Imported ${report.imported} members (${report.unchanged} already there); ${rejected.length} rejected.`,
    );
    for (const r of rejected.slice(0, SHOWN_REJECTIONS)) io.err(`  line ${r.line}: ${r.reason}`);
    if (rejected.length > SHOWN_REJECTIONS) {
      io.err(`  … and ${rejected.length - SHOWN_REJECTIONS} more`);
    }
    return rejected.length === 0 ? 0 : 1;
  },
};
