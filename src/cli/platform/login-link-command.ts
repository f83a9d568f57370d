import { UsageError, requireString, stringOption, type Command } from '../command.js';
import { dataDir } from '../identity/options.js';
import { loadTokenKeys } from '../../surfaces/api/tokens.js';
import { consoleBaseUrl } from '../../surfaces/console-auth/relying-party.js';
import {
  issueLoginLink,
  linkRequestProblem,
  signinUrl,
  type LinkRequest,
} from '../../surfaces/console-auth/login-links.js';
import type { StoreId } from '../../contract/index.js';
import { readPlatformLock } from '../../stores/data-dir/platform-lock.js';
import { CONSOLE_ROLES, type ConsoleRole } from '../../stores/entities/entity-store.js';
import { openIdentity, requireStore, type Clock } from '../../edge/identity/index.js';
import { platformLayout } from '../../platform/platform-layout.js';
import { PlatformCallFailure } from './platform-client.js';

const USAGE =
  'login-link --data DIR --role ops|staff|customer [--store S] [--subject ID] [--name NAME] [--url BASE]';

/**
 * `fleetplane login-link`: a one-time console sign-in URL, alone on the last line. Needs only the
 * data directory (the token key, the store registry, the running platform's URL); nothing changes
 * until the platform consumes the link.
 */
export function loginLinkCommand(now: Clock): Command {
  return {
    path: ['login-link'],
    summary: 'Print a one-time console sign-in link: it registers a passkey for the person.',
    usage: USAGE,
    details: [
      'The URL is printed alone on the last line. Open it in a browser within 15 minutes: the',
      'console registers a passkey (or security key) for the person and signs them in. It works',
      'once. Ops and staff passkeys need user verification (a PIN or a biometric).',
      '--store S     staff only, and required for staff: the store they work in',
      "--subject ID  a customer's account id (required for customers); for ops and staff, a handle",
      '              (e.g. alice): a later link with the same handle adds a passkey to that person',
      '--name NAME   ops and staff: the name the console shows',
      "--url BASE    the console's address (default: the running platform's, by host name)",
    ],
    options: {
      data: { type: 'string' },
      role: { type: 'string' },
      store: { type: 'string' },
      subject: { type: 'string' },
      name: { type: 'string' },
      url: { type: 'string' },
    },
    required: ['data', 'role'],
    async run(values, io) {
      const dir = dataDir(values);
      const role = requireString(values, 'role');
      if (!(CONSOLE_ROLES as readonly string[]).includes(role)) {
        throw new UsageError(`--role must be one of ${CONSOLE_ROLES.join(', ')}, got '${role}'`);
      }
      const store = stringOption(values, 'store');
      const subject = stringOption(values, 'subject');
      if (role === 'staff' && store === undefined) {
        throw new UsageError('a staff link is for one store: give --store ID');
      }
      if (role === 'customer' && subject === undefined) {
        throw new UsageError('a customer link names the account: give --subject CUSTOMER_ID');
      }
      const name = stringOption(values, 'name');
      const request: LinkRequest = {
        role: role as ConsoleRole,
        ...(store !== undefined ? { store } : {}),
        ...(subject !== undefined ? { subject } : {}),
        ...(name !== undefined ? { name } : {}),
      };
      const problem = linkRequestProblem(request);
      if (problem) throw new UsageError(problem);
      if (store !== undefined) await requireStore(openIdentity(dir).stores, store as StoreId);
      const base = await consoleBase(dir, stringOption(values, 'url'));
      const keys = await loadTokenKeys(platformLayout(dir).tokenKey);
      const link = await issueLoginLink(keys, request, now());
      const who = `${role}${store ? ` of store ${store}` : ''}${subject ? ` (${subject})` : ''}`;
      io.out(`A one-time sign-in link for ${who}, good until ${link.expiresAt.toISOString()}.`);
      io.out('Open it in a browser: it registers a passkey and signs in; it works once.');
      io.out(signinUrl(base, link.token));
    },
  };
}

async function consoleBase(dir: string, url: string | undefined): Promise<string> {
  if (url !== undefined) {
    try {
      const parsed = new URL(url);
      if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return parsed.origin;
    } catch {
      // answered below
    }
    throw new UsageError(`--url must be an http(s) URL, got '${url}'`);
  }
  const lock = await readPlatformLock(platformLayout(dir).root);
  if (lock?.consoleUrl) return lock.consoleUrl;
  if (lock?.apiUrl) return consoleBaseUrl(lock.apiUrl);
  throw new PlatformCallFailure(
    'platform-not-running',
    `no platform is running on ${dir} to say where the console is; start it, or give --url BASE`,
  );
}
