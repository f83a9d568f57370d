import { userInfo } from 'node:os';
import { CustomerFailure } from '../../domain/customers/customer-errors.js';
import { DataSubjectRequests } from '../../domain/customers/data-subject-requests.js';
import { isFailure } from '../../shared/failure.js';
import {
  requireString,
  stringOption,
  UsageError,
  type Command,
  type OptionValues,
} from '../command.js';
import { CUSTOMER_STORE_OPTIONS, withCustomerStores } from './customer-cli-context.js';

const OPTIONS = {
  ...CUSTOMER_STORE_OPTIONS,
  loyalty: { type: 'string' },
  region: { type: 'string' },
} as const;

function callerOf(values: OptionValues) {
  const region = stringOption(values, 'region');
  if (region !== undefined && region !== 'us' && region !== 'eu') {
    throw new UsageError('--region is us or eu');
  }
  return {
    actor: { role: 'privacy', subject: userInfo().username },
    ...(region ? { region: region as 'us' | 'eu' } : {}),
  };
}

async function run(
  values: OptionValues,
  doing: string,
  work: (dsar: DataSubjectRequests, customerId: string) => Promise<string>,
  io: { out(l: string): void; err(l: string): void },
): Promise<number> {
  const loyalty = requireString(values, 'loyalty');
  if (!/^[0-9]{8,19}$/.test(loyalty)) throw new UsageError('--loyalty is 8 to 19 digits');
  try {
    const output = await withCustomerStores(values, doing, async (stores) => {
      const dsar = new DataSubjectRequests(stores);
      const customerId = await dsar.findByLoyalty(loyalty);
      if (!customerId)
        throw new CustomerFailure('account-not-found', 'no account has that loyalty number');
      return work(dsar, customerId);
    });
    io.out(output);
    return 0;
  } catch (error) {
    if (isFailure(error) && error instanceof CustomerFailure) {
      io.err(`${error.code}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

export const dsarExportCommand: Command = {
  path: ['dsar', 'export'],
  summary: 'Print everything held about a loyalty member, as JSON (a data-subject export).',
  usage: 'dsar export --data DIR --loyalty N [--region us|eu]',
  details: [
    'Decrypts the tier 3 record (audited), adds tier 2: sessions, lists, and who accessed the',
    'data, and tokenDomains: the masking domains whose token store holds entries for the member.',
    "--region: the region you act from; another region than the account's is refused.",
    '--entity-url URL: the entity store on PostgreSQL, as the platform was started with.',
  ],
  options: OPTIONS,
  required: ['data', 'loyalty'],
  run: (values, io) =>
    run(
      values,
      'export an account',
      async (dsar, id) => JSON.stringify(await dsar.export(id, callerOf(values)), null, 2),
      io,
    ),
};

export const dsarDeleteCommand: Command = {
  path: ['dsar', 'delete'],
  summary: "Delete a loyalty member: destroy the account's key (crypto-shredding), unlink tier 2.",
  usage: 'dsar delete --data DIR --loyalty N [--region us|eu]',
  details: [
    'The vault keeps the ciphertext, unreadable without the destroyed key, as do old backups.',
    'Sessions keep their facts without the account. Telemetry holds nothing personal.',
    "The masking token store's entries for the member's account id, loyalty number, e-mail and",
    "phone are destroyed; `mask detokenize` then refuses their tokens ('token-erased', audited).",
    '--entity-url URL: the entity store on PostgreSQL, as the platform was started with.',
  ],
  options: OPTIONS,
  required: ['data', 'loyalty'],
  run: (values, io) =>
    run(
      values,
      'delete an account',
      async (dsar, id) => {
        const report = await dsar.delete(id, callerOf(values));
        const tokens = report.tokensErased.map((d) => `${d.domain} ${d.entries}`).join(', ');
        return `Deleted account ${id}: key destroyed ${report.keyDestroyed}, ${report.sessionsUnlinked} sessions unlinked, masking tokens destroyed: ${tokens || 'none held'}; request ${report.request.requestId} ${report.request.state}.`;
      },
      io,
    ),
};
