import type { CommandIo } from '../command.js';
import { loadTokenKeys } from '../../surfaces/api/tokens.js';
import {
  issueLoginLink,
  signinUrl,
  type LinkRequest,
} from '../../surfaces/console-auth/login-links.js';
import { consoleBaseUrl } from '../../surfaces/console-auth/relying-party.js';
import type { MemberRow } from '../../domain/customers/members-csv.js';
import { importMembers } from '../../domain/customers/members-import.js';
import type { RunningPlatform } from '../../platform/platform.js';

/**
 * The demo's shopper: one loyalty member in the EU vault (the demo store is in Berlin). Never a
 * real person; the number is too short to look like a payment card.
 */
const DEMO_MEMBER: MemberRow = {
  line: 2,
  loyaltyNumber: '700000000001',
  region: 'eu',
  fields: { first_name: 'Dana', last_name: 'Demo', email: 'dana.demo@example.com' },
};

/**
 * The demo member's customer id, importing the member first if the demo has none (the first run,
 * or after the member deleted their account in the app).
 */
export async function demoCustomer(platform: RunningPlatform): Promise<string> {
  const { customers, entities } = platform;
  const digest = await customers.cipher.lookupDigest('loyalty', DEMO_MEMBER.loyaltyNumber);
  const existing = await entities.findAccountByLoyalty(digest);
  if (existing) return existing;
  await importMembers(
    [DEMO_MEMBER],
    { role: 'cli', subject: 'fleetplane-demo' },
    { entities, vaults: customers.vaults, cipher: customers.cipher, audit: customers.audit },
  );
  const imported = await entities.findAccountByLoyalty(digest);
  if (!imported) throw new Error('the demo member could not be imported');
  return imported;
}

/**
 * One sign-in link per role: ops, staff of the demo store, the demo member. The ops and staff
 * links name a handle, so following a later run's link adds a passkey to the same person.
 */
export async function printSigninLinks(
  io: CommandIo,
  platform: RunningPlatform,
  options: { readonly store: string; readonly customerId: string; readonly publicUrl?: string },
  now: Date,
): Promise<void> {
  const keys = await loadTokenKeys(platform.layout.tokenKey);
  const base = options.publicUrl ?? consoleBaseUrl(platform.apiUrl);
  const people: [string, LinkRequest][] = [
    ['ops', { role: 'ops', subject: 'demo-ops', name: 'Demo Ops' }],
    ['staff', { role: 'staff', store: options.store, subject: 'demo-staff', name: 'Demo Staff' }],
    ['customer', { role: 'customer', subject: options.customerId }],
  ];
  io.out(`The console: ${base}/`);
  io.out('Sign in with a passkey through a one-time link (15 minutes, once each; more with');
  io.out(`fleetplane login-link --data ${platform.layout.root} --role …):`);
  for (const [label, request] of people) {
    const { token } = await issueLoginLink(keys, request, now);
    io.out(`  ${label.padEnd(9)}${signinUrl(base, token)}`);
  }
  io.out('');
}
